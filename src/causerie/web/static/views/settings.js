// The settings dialog: who may send me private messages (`settings {dm_policy}`) and the
// people I blocked, each with "Débloquer".

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { paintNick } from "../people.js";

export class SettingsDialog {
  #handlers;
  #requestId = null; // the `settings` request waiting for its answer
  #status = null; // {key} or {message, isError}
  #lastState = null;

  /** handlers: onPolicy(policy) -> request id or null when offline; onUnblock(nick). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.dialog = byId("settings-dialog");
    this.policy = byId("settings-dm-policy");
    this.status = byId("settings-status");
    this.blockedList = byId("blocked-list");
    byId("settings-form").addEventListener("submit", (event) => event.preventDefault());
    for (const id of ["settings-close", "settings-done"]) {
      byId(id).addEventListener("click", () => this.close());
    }
    this.policy.addEventListener("change", () => this.#choose(this.policy.value));
    this.dialog.addEventListener("close", () => {
      if (this.#requestId === null) this.#status = null;
    });
  }

  open(state) {
    this.#status = null;
    this.render(state);
    this.dialog.showModal();
    this.policy.focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** The server's `settings` reply: the policy now in force. */
  saved(requestId) {
    if (requestId !== this.#requestId) return;
    this.#requestId = null;
    this.#status = { key: "settings.saved" };
  }

  /** The server refused the change: say why (the select goes back to the policy in force). */
  refused(requestId, error) {
    if (requestId !== this.#requestId) return false;
    this.#requestId = null;
    this.#status = { ...error, isError: true };
    return true;
  }

  render(state) {
    this.#lastState = state;
    this.policy.disabled = this.#requestId !== null;
    if (this.#requestId === null) this.policy.value = state.dmPolicy;
    const status = this.#status;
    this.status.textContent = status ? (status.message ?? t(status.key)) : "";
    this.status.classList.toggle("is-error", Boolean(status?.isError));

    const blocked = [...state.blocks.values()].sort((a, b) =>
      a.localeCompare(b, undefined, { sensitivity: "base" }),
    );
    this.blockedList.replaceChildren(
      ...(blocked.length
        ? blocked.map((nick) =>
            el(
              "li",
              { className: "blocked-item", testid: `blocked-${nick}` },
              paintNick(el("span", { className: "nick", text: nick }), nick),
              el("button", {
                type: "button",
                className: "button button-quiet blocked-unblock",
                testid: `unblock-${nick}`,
                text: t("settings.unblock"),
                on: { click: () => this.#handlers.onUnblock(nick) },
              }),
            ),
          )
        : [el("li", { className: "muted", text: t("settings.blocked.none") })]),
    );
  }

  relabel() {
    if (this.#lastState) this.render(this.#lastState);
  }

  #choose(policy) {
    const id = this.#handlers.onPolicy(policy);
    if (id === null) {
      this.#status = { key: "chat.offline", isError: true };
    } else {
      this.#requestId = id;
      this.#status = { key: "settings.saving" };
    }
    if (this.#lastState) this.render(this.#lastState);
  }
}
