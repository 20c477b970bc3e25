// "Demandes": private messages from strangers (`dm_request`), shown with what the server
// masked (links, numbers, addresses as •••), until the person accepts or declines. Accepting
// opens the conversation; declining tells the sender only "not accepted".

import { byId, el } from "../dom.js";
import { formatDateTime, formatTime, getLang, t } from "../i18n.js";
import { genderSymbol, paintNick } from "../people.js";

export class RequestsView {
  #handlers;
  #signature = null; // what the list shows; rebuilt only when it changes (keeps focus)

  /** handlers: onAccept(nick), onDecline(nick), onReport(target). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.section = byId("dm-requests");
    this.count = byId("dm-requests-count");
    this.tip = byId("dm-requests-tip");
    this.list = byId("dm-request-list");
  }

  render(state) {
    const requests = [...state.dmRequests.values()];
    const signature = JSON.stringify([
      getLang(),
      state.isTeen,
      requests.map((request) => [
        request.from,
        request.answering,
        request.messages.map((message) => [message.id, message.text]),
      ]),
    ]);
    if (signature === this.#signature) return;
    this.#signature = signature;
    this.section.hidden = requests.length === 0;
    this.tip.hidden = !state.isTeen;
    this.count.textContent = String(requests.length);
    this.count.title = t(requests.length === 1 ? "requests.count.one" : "requests.count", {
      n: requests.length,
    });
    this.list.replaceChildren(...requests.map((request) => this.#request(request)));
  }

  #request(request) {
    const user = request.from;
    const nick = user.nick;
    const last = request.messages[request.messages.length - 1] ?? null;
    const busy = Boolean(request.answering);
    const header = el(
      "div",
      { className: "dm-request-header" },
      paintNick(el("span", { className: "nick dm-request-nick", text: nick }), nick),
      el("span", {
        className: "dm-request-details muted",
        text: [genderSymbol(user.gender), user.age, user.dept].filter(Boolean).join(" · "),
        title: user.region ?? "",
      }),
      last
        ? el("button", {
            type: "button",
            className: "menu-button",
            testid: "report",
            text: "⋯",
            title: t("menu.open", { nick }),
            attrs: { "aria-label": t("menu.open", { nick }), "aria-haspopup": "dialog" },
            on: {
              click: () =>
                this.#handlers.onReport({
                  nick,
                  user,
                  message: { id: last.id, text: last.text },
                }),
            },
          })
        : null,
    );
    const texts = el(
      "ul",
      { className: "dm-request-messages" },
      request.messages.map((message) =>
        el(
          "li",
          { className: "dm-request-message", testid: "dm-request-text" },
          el("time", {
            className: "message-time",
            text: formatTime(message.ts),
            title: formatDateTime(message.ts),
          }),
          el("span", {
            className: "dm-request-text",
            text: message.media ? `${message.text} ${t("picture.in_request")}`.trim() : message.text,
          }),
        ),
      ),
    );
    const actions = el(
      "div",
      { className: "dm-request-actions" },
      el("button", {
        type: "button",
        className: "button button-primary",
        testid: "accept",
        text: t("requests.accept"),
        disabled: busy,
        on: { click: () => this.#handlers.onAccept(nick) },
      }),
      el("button", {
        type: "button",
        className: "button button-quiet",
        testid: "decline",
        text: t("requests.decline"),
        disabled: busy,
        on: { click: () => this.#handlers.onDecline(nick) },
      }),
    );
    return el(
      "li",
      { className: "dm-request", testid: `dm-request-${nick}` },
      header,
      texts,
      actions,
    );
  }
}
