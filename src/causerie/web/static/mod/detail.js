// The item being examined, on the right of the console: what was reported, by whom, the
// reported message highlighted in its conversation, every child-safety signal about the person
// (an address shared with an adult, minors reached, a teen's "I think this is an adult", a
// grooming conversation), the person's recent messages, the earlier decisions against them,
// and the action panel (actions.js).
//
// Everything that came from users (messages, nicknames, comments) goes in as text.

import { el } from "/static/dom.js";
import { ActionPanel, statementOf } from "/static/mod/actions.js";
import { formatDateTime, formatTime, label, t } from "/static/mod/i18n-mod.js";
import { agoNode, severityPill, targetOf } from "/static/mod/queue.js";
import { genderSymbol, paintNick } from "/static/people.js";

export class DetailView {
  #panel = null; // the ActionPanel of the item shown
  #handlers;

  /**
   * handlers: onSend(fields, itemId), roomName(id), onBack(), onViewMedia(mediaId),
   * mediaOf(mediaId) -> {src} | {failed: true} | null (what the console holds of a picture).
   */
  constructor(box, handlers) {
    this.box = box;
    this.#handlers = handlers;
    this.body = el("div", { className: "detail-body" });
    this.emptyNode = el("p", { className: "detail-empty", testid: "detail-empty" });
    this.box.replaceChildren(this.emptyNode, this.body);
    this.renderEmpty();
  }

  get shownId() {
    return this.#panel?.itemId ?? null;
  }

  /** The panel of item `id`, if it is the one shown (to route an action's answer). */
  panelFor(id) {
    return this.#panel && this.#panel.itemId === id ? this.#panel : null;
  }

  renderEmpty() {
    this.#panel = null;
    this.emptyNode.hidden = false;
    this.emptyNode.textContent = t("detail.empty");
    this.body.replaceChildren();
  }

  /** Show `item`; the action panel (with any half-filled form) survives updates of the item. */
  render(item, { rebuildActions = false } = {}) {
    if (!this.#panel || this.#panel.itemId !== item.id || rebuildActions) {
      this.#panel = new ActionPanel(item, {
        onSend: this.#handlers.onSend,
        roomName: this.#handlers.roomName,
      });
    } else {
      this.#panel.update(item);
    }
    this.emptyNode.hidden = true;
    const { nick, message } = targetOf(item);
    const parts = [
      this.#header(item),
      this.#panel.node,
      this.#report(item, nick),
      this.#signals(item, nick),
      this.#context(item, message),
      this.#history(item, nick),
      this.#earlier(item, nick),
    ];
    this.body.replaceChildren(...parts.filter(Boolean));
    this.body.dataset.testid = `detail-${item.id}`;
    this.body.dataset.state = item.state ?? "";
  }

  #header(item) {
    const back = el("button", {
      type: "button",
      className: "button button-quiet detail-back",
      testid: "detail-back",
      text: `← ${t("detail.back")}`,
      on: { click: () => this.#handlers.onBack() },
    });
    return el(
      "header",
      { className: "detail-header" },
      back,
      el(
        "div",
        { className: "detail-heading" },
        severityPill(item.severity),
        el("h2", {
          className: "detail-title",
          testid: "detail-category",
          text: label("category", item.category),
        }),
      ),
      el(
        "p",
        { className: "detail-tags" },
        el("span", { className: "chip", text: label("kind", item.kind) }),
        el("span", {
          className: `chip chip-state state-${item.state}`,
          testid: "detail-state",
          text: label("state", item.state),
        }),
        el("span", { className: "chip", text: label("lane", item.lane) }),
        item.created_at ? agoNode(item.created_at) : null,
      ),
    );
  }

  #report(item, nick) {
    const rows = [];
    const reporter = item.reporter?.nick
      ? paintNick(el("span", { className: "nick", text: item.reporter.nick }), item.reporter.nick)
      : el("span", {
          text:
            item.kind === "flag" || item.lane === "automatic"
              ? t("detail.reporter.none")
              : t("detail.reporter.anonymous"),
        });
    const isAppeal = item.kind === "appeal";
    rows.push(row(t(isAppeal ? "detail.appellant" : "detail.reporter"), reporter));
    if (nick) rows.push(row(t("detail.target"), person(targetOf(item).message?.from ?? { nick })));
    if (item.reason) {
      const reason = el("strong", {
        testid: "detail-reason",
        text: label("report_reason", item.reason),
      });
      rows.push(row(t("detail.reason"), reason));
    }
    if (item.rule) rows.push(row(t("detail.rule"), el("code", { text: String(item.rule) })));
    const figures = signalFigures(item.rule, item.details);
    if (figures) {
      rows.push(row(t("detail.details"), el("span", { testid: "detail-figures", text: figures })));
    }
    if (item.created_at)
      rows.push(row(t("detail.received"), el("span", { text: formatDateTime(item.created_at) })));
    if (item.assigned_to)
      rows.push(row(t("detail.assigned"), el("span", { text: String(item.assigned_to) })));
    if (item.reporter?.contact ?? item.contact) {
      rows.push(
        row(
          t("detail.contact"),
          el("span", { text: String(item.reporter?.contact ?? item.contact) }),
        ),
      );
    }
    if (item.kind === "appeal" && statementOf(item)) {
      rows.push(row(t("detail.statement"), el("code", { text: String(statementOf(item)) })));
    }
    const comment = item.comment
      ? el("blockquote", {
          className: "detail-comment",
          testid: "detail-comment",
          text: item.comment,
        })
      : el("p", { className: "muted", text: t("detail.comment.none") });
    return section(
      t(isAppeal ? "detail.appeal" : "detail.report"),
      el("dl", { className: "detail-facts" }, rows),
      el("h4", {
        className: "detail-subtitle",
        text: t(isAppeal ? "detail.appeal.text" : "detail.comment"),
      }),
      comment,
    );
  }

  #context(item, message) {
    if (!message) {
      const none = item.kind === "appeal" ? "detail.no_message.appeal" : "detail.no_message";
      return section(t("detail.context"), el("p", { className: "muted", text: t(none) }));
    }
    const context = Array.isArray(item.context) && item.context.length ? [...item.context] : [];
    if (!context.some((m) => m && m.id === message.id)) context.push(message);
    context.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (a.id ?? 0) - (b.id ?? 0));
    const where = message.room
      ? t("detail.context.room", { room: this.#handlers.roomName(message.room) })
      : t("detail.context.dm");
    const list = el(
      "ol",
      { className: "mod-messages", testid: "detail-context" },
      context.map((m) =>
        messageLine(m, {
          isReported: m.id === message.id,
          testid: m.id === message.id ? "reported-message" : "context-message",
          picture: this.#picture(m),
        }),
      ),
    );
    return section(t("detail.context"), el("p", { className: "detail-where", text: where }), list);
  }

  /** A message's picture: a button to look at it (audited), then the picture itself. */
  #picture(message) {
    const mediaId = message?.media?.id;
    if (typeof mediaId !== "string") return null;
    const shown = this.#handlers.mediaOf(mediaId);
    if (shown?.src) {
      return el("img", {
        className: "mod-picture",
        testid: "mod-picture",
        attrs: { src: shown.src, alt: t("detail.picture") },
      });
    }
    return el(
      "span",
      { className: "mod-picture-slot" },
      el("button", {
        type: "button",
        className: "button button-quiet",
        testid: "view-picture",
        text: t("detail.picture.view"),
        on: { click: () => this.#handlers.onViewMedia(mediaId) },
      }),
      shown?.failed
        ? el("span", { className: "muted", text: ` ${t("detail.picture.gone")}` })
        : null,
    );
  }

  #history(item, nick) {
    const history = Array.isArray(item.history) ? item.history : [];
    const body = history.length
      ? el(
          "ol",
          { className: "mod-messages", testid: "detail-history" },
          history.map((m) =>
            messageLine(m, { testid: "history-message", roomName: this.#handlers.roomName }),
          ),
        )
      : el("p", { className: "muted", text: t("detail.history.empty") });
    return section(t("detail.history", { nick: nick || "?" }), body);
  }

  /** Every child-safety flag and report about the person, oldest first: read together. */
  #signals(item, nick) {
    if (item.kind === "appeal") return null;
    const signals = Array.isArray(item.signals) ? item.signals : [];
    const body = signals.length
      ? el(
          "ul",
          { className: "earlier-actions signals", testid: "detail-signals" },
          signals.map((signal) => {
            const name = signal.rule ?? signal.reason ?? "report";
            const figures = signalFigures(signal.rule, signal.details);
            return el(
              "li",
              {
                className: `earlier-action signal${signal.id === item.id ? " is-this" : ""}`,
                testid: "signal",
                dataset: { rule: String(name) },
              },
              severityPill(signal.severity),
              el("strong", { text: label("signal", name) }),
              figures ? el("span", { text: figures }) : null,
              signal.id === item.id
                ? el("span", { className: "chip", text: t("signal.this") })
                : null,
              signal.at
                ? el("time", { className: "muted", text: formatDateTime(signal.at) })
                : null,
            );
          }),
        )
      : el("p", { className: "muted", text: t("detail.signals.empty") });
    return section(t("detail.signals", { nick: nick || "?" }), body);
  }

  #earlier(item, nick) {
    const actions = Array.isArray(item.actions) ? item.actions : [];
    const body = actions.length
      ? el(
          "ul",
          { className: "earlier-actions", testid: "detail-actions" },
          actions.map((a) =>
            el(
              "li",
              { className: "earlier-action" },
              el("strong", { text: label("decision", a.decision) }),
              a.ground ? el("span", { text: label("category", a.ground) }) : null,
              a.at ? el("time", { className: "muted", text: formatDateTime(a.at) }) : null,
            ),
          ),
        )
      : el("p", { className: "muted", text: t("detail.actions.empty") });
    return section(t("detail.actions", { nick: nick || "?" }), body);
  }
}

/** A person flag's figures in words: an address's weight and why, the minors reached. */
function signalFigures(rule, details) {
  if (!details || typeof details !== "object") return "";
  if (rule === "adult_address" && details.weight !== undefined) {
    const factors = Array.isArray(details.factors) ? details.factors : [];
    const weight = t("signal.weight", { weight: details.weight, min: details.min_weight ?? "?" });
    return [weight, ...factors.map((factor) => label("factor", factor))].join(" · ");
  }
  if (Array.isArray(details.minors)) {
    const names = details.minors.map(String);
    return t("signal.minors", { n: details.count ?? names.length, names: names.join(", ") });
  }
  return "";
}

function section(title, ...children) {
  return el(
    "section",
    { className: "detail-section" },
    el("h3", { className: "detail-section-title", text: title }),
    ...children,
  );
}

function row(term, value) {
  return el("div", { className: "detail-fact" }, el("dt", { text: term }), el("dd", {}, value));
}

function person(user) {
  const nick = String(user.nick ?? "");
  const bits = [];
  if (user.gender) bits.push(genderSymbol(user.gender));
  if (user.age) bits.push(t("person.age", { n: user.age }));
  if (user.dept) bits.push(String(user.dept));
  return el(
    "span",
    { className: "person" },
    paintNick(el("span", { className: "nick", text: nick }), nick),
    bits.length ? el("span", { className: "muted", text: ` ${bits.join(" · ")}` }) : null,
  );
}

/** One message line; `isReported` highlights it; with `roomName` it names its room (history). */
function messageLine(message, { isReported = false, testid, roomName = null, picture = null }) {
  const nick = String(message?.from?.nick ?? "?");
  const when = message.ts ? formatTime(message.ts) : "";
  return el(
    "li",
    {
      className: `mod-message${isReported ? " is-reported" : ""}`,
      testid,
      dataset: { messageId: String(message.id ?? "") },
    },
    el("time", {
      className: "message-time",
      text: when,
      title: message.ts ? formatDateTime(message.ts) : "",
    }),
    paintNick(el("span", { className: "nick", text: nick }), nick),
    el("span", { className: "message-text", text: String(message.text ?? "") }),
    picture,
    roomName && message.room
      ? el("span", { className: "mod-message-room", text: roomName(message.room) })
      : null,
    isReported
      ? el("span", { className: "chip chip-alert reported-tag", text: t("detail.reported") })
      : null,
  );
}
