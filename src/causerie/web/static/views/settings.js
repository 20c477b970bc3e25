// The settings dialog: who may send me private messages (`settings {dm_policy}`), the alerts
// (sounds and browser notifications, kept on this device: attention.js) and the people I
// blocked, each with "Débloquer".

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { paintNick } from "../people.js";

export class SettingsDialog {
  #handlers;
  #requestId = null; // the `settings` request waiting for its answer
  #status = null; // {key} or {message, isError}
  #lastState = null;

  /**
   * handlers: onPolicy(policy) -> request id or null when offline; onUnblock(nick);
   * attention: the Attention (its prefs and the browser's permission).
   */
  constructor(handlers) {
    this.#handlers = handlers;
    this.attention = handlers.attention;
    this.soundDm = byId("settings-sound-dm");
    this.soundMention = byId("settings-sound-mention");
    this.notify = byId("settings-notify");
    this.notifyStatus = byId("settings-notify-status");
    this.soundDm.addEventListener("change", () => this.attention.set("soundDm", this.soundDm.checked));
    this.soundMention.addEventListener("change", () =>
      this.attention.set("soundMention", this.soundMention.checked),
    );
    this.notify.addEventListener("change", async () => {
      if (this.notify.checked) await this.attention.enableNotifications();
      else this.attention.set("notify", false);
      this.renderAttention();
    });
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

  /** The alert switches as they stand (the browser may have refused notifications). */
  renderAttention() {
    const { prefs, permission } = this.attention;
    this.soundDm.checked = prefs.soundDm;
    this.soundMention.checked = prefs.soundMention;
    this.notify.checked = this.attention.canNotify;
    this.notify.disabled = permission === "unsupported" || permission === "denied";
    const key =
      permission === "unsupported"
        ? "attention.notify.unsupported"
        : permission === "denied"
          ? "attention.notify.denied"
          : this.attention.canNotify
            ? "attention.notify.on"
            : null;
    this.notifyStatus.textContent = key ? t(key) : "";
  }

  render(state) {
    this.#lastState = state;
    this.renderAttention();
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
