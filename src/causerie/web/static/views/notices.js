// Server notices (safety advice, moderation notices without a statement, information) as
// banners above the conversation, and the "Connexion perdue" banner with its reconnect button.
// A safety notice about one conversation shows in that conversation instead (conversation.js);
// statements of reasons have their own panel (statements.js).

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";

// Server kinds, plus "error" for refusals that have no better place on screen.
const KINDS = new Set(["safety", "moderation", "info", "error"]);
const MAX_NOTICES = 4;
const INFO_LIFETIME_MS = 20000;

/**
 * The actions under a safety notice about someone: report them (one click to the dialog, with
 * child safety chosen) and the 3018 helpline (France's line for young people facing online
 * harassment or abuse: free, anonymous).
 */
export function safetyActions(about, onReport) {
  return el(
    "div",
    { className: "notice-actions" },
    el("button", {
      type: "button",
      className: "notice-report",
      testid: "safety-notice-report",
      text: t("safety.report", { nick: about }),
      on: { click: () => onReport(about) },
    }),
    el("a", {
      className: "notice-helpline",
      text: t("safety.helpline"),
      attrs: { href: "tel:3018" },
    }),
  );
}

export class NoticesView {
  #onReport;

  /** onReport(nick): the person asks to report whom a safety notice is about. */
  constructor({ onReport } = {}) {
    this.box = byId("notices");
    this.#onReport = onReport ?? (() => {});
  }

  /** Show a notice; `text` comes from the server and is shown as text, never as markup.
   *  `about`: the nickname a safety notice is about (a report button is offered). */
  add(kind, text, about = null) {
    const safeKind = KINDS.has(kind) ? kind : "info";
    const item = el(
      "div",
      {
        className: `notice notice-${safeKind}`,
        // Safety notices share their hook with the ones shown inside a conversation.
        testid: safeKind === "safety" ? "safety-notice" : `notice-${safeKind}`,
        attrs: { role: safeKind === "info" ? "status" : "alert" },
      },
      el("strong", {
        className: "notice-kind",
        dataset: { i18n: `notice.${safeKind}` },
        text: t(`notice.${safeKind}`),
      }),
      el("span", { className: "notice-text", text }),
    );
    if (safeKind === "safety" && about) item.append(safetyActions(about, this.#onReport));
    const close = el("button", {
      type: "button",
      className: "notice-close",
      text: "×",
      title: t("notice.dismiss"),
      attrs: { "aria-label": t("notice.dismiss") },
      on: { click: () => item.remove() },
    });
    item.append(close);
    this.box.append(item);
    while (this.box.children.length > MAX_NOTICES) this.box.firstElementChild.remove();
    // Information fades away; safety and moderation notices stay until dismissed.
    if (safeKind === "info" || safeKind === "error") {
      setTimeout(() => item.remove(), INFO_LIFETIME_MS);
    }
  }

  /** A question with one button (e.g. turn on notifications); closes once answered. */
  offer(text, label, onAccept) {
    const item = el(
      "div",
      { className: "notice notice-info notice-offer", testid: "notice-offer", attrs: { role: "status" } },
      el("span", { className: "notice-text", text }),
    );
    item.append(
      el("button", {
        type: "button",
        className: "button button-primary notice-accept",
        testid: "notice-offer-accept",
        text: label,
        on: {
          click: () => {
            item.remove();
            onAccept();
          },
        },
      }),
      el("button", {
        type: "button",
        className: "notice-close",
        text: "×",
        title: t("notice.dismiss"),
        attrs: { "aria-label": t("notice.dismiss") },
        on: { click: () => item.remove() },
      }),
    );
    this.box.append(item);
    while (this.box.children.length > MAX_NOTICES) this.box.firstElementChild.remove();
  }

  clear() {
    this.box.replaceChildren();
  }
}

export class ConnectionBanner {
  #detail = null; // {key, vars} or {message}
  #busy = false;
  #seconds = null; // the next attempt's countdown
  #isWaitingNetwork = false;

  /** onReconnect() is called when the person asks to reconnect (it tries at once). */
  constructor({ onReconnect }) {
    this.banner = byId("connection-banner");
    this.title = byId("connection-title");
    this.detail = byId("connection-detail");
    this.button = byId("reconnect");
    this.button.addEventListener("click", () => {
      if (!this.#busy) onReconnect();
    });
  }

  get isShown() {
    return !this.banner.hidden;
  }

  /** The connection is lost: `detail` says why when it is not an ordinary loss. */
  show(detail = null) {
    this.#detail = detail;
    this.#busy = false;
    this.#seconds = null;
    this.#isWaitingNetwork = false;
    this.banner.hidden = false;
    this.#render();
  }

  /** An attempt is under way. */
  setBusy(busy) {
    this.#busy = busy;
    if (busy) {
      this.#seconds = null;
      this.#isWaitingNetwork = false;
    }
    this.#render();
  }

  /** The next attempt starts in `seconds`. */
  countdown(seconds) {
    this.#busy = false;
    this.#seconds = seconds;
    this.#isWaitingNetwork = false;
    this.#render();
  }

  /** The browser is offline: the next attempt waits for the network. */
  waitNetwork() {
    this.#busy = false;
    this.#seconds = null;
    this.#isWaitingNetwork = true;
    this.#render();
  }

  hide() {
    this.banner.hidden = true;
    this.#busy = false;
    this.#detail = null;
    this.#seconds = null;
    this.#isWaitingNetwork = false;
  }

  relabel() {
    this.#render();
  }

  #render() {
    const detail = this.#detail;
    const isTrying = this.#busy || this.#seconds !== null || this.#isWaitingNetwork;
    this.banner.dataset.state = this.#busy
      ? "connecting"
      : this.#seconds !== null
        ? "waiting"
        : this.#isWaitingNetwork
          ? "offline"
          : "lost";
    this.title.textContent = t(isTrying ? "conn.reconnecting" : "conn.lost");
    const lines = [];
    if (detail) lines.push(detail.message ?? t(detail.key, detail.vars));
    if (this.#seconds !== null) lines.push(t("conn.next", { n: this.#seconds }));
    else if (this.#isWaitingNetwork) lines.push(t("conn.no_network"));
    else if (!detail) lines.push(t("conn.lost.text"));
    this.detail.textContent = lines.join(" ");
    this.button.disabled = this.#busy;
    this.button.textContent = t("conn.reconnect");
  }
}
