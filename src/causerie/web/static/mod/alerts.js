// The alert banner: a child-safety or threat report (or a known-bad picture) reaches every
// connected moderator as an `alert` frame, and must be impossible to miss without a sound:
// a red banner under the header that stays until someone presses "Vu", a flash of the whole
// window's edge, and a blinking tab title while the console is in the background.

import { el } from "/static/dom.js";
import { formatAgo, label, t } from "/static/mod/i18n-mod.js";
import { targetOf } from "/static/mod/queue.js";

const TITLE_BLINK_MS = 1000;

export class AlertBanner {
  #alerts = []; // items not yet acknowledged, newest first
  #titleTimer = null;
  #titleOn = false;
  #onOpen;

  /** onOpen(id) opens the item of the newest alert. */
  constructor({ banner, flash, onOpen }) {
    this.banner = banner;
    this.flash = flash;
    this.#onOpen = onOpen;
    this.text = el("span", { className: "alert-text", testid: "alert-text" });
    this.more = el("span", { className: "alert-more", testid: "alert-more" });
    this.openButton = el("button", {
      type: "button",
      className: "button alert-open",
      testid: "alert-open",
      on: { click: () => this.#open() },
    });
    this.ackButton = el("button", {
      type: "button",
      className: "button alert-ack",
      testid: "alert-ack",
      on: { click: () => this.acknowledge() },
    });
    this.title = el("strong", { className: "alert-title" });
    banner.replaceChildren(
      el("span", { className: "alert-icon", text: "⚠", attrs: { "aria-hidden": "true" } }),
      el("span", { className: "alert-body" }, this.title, this.text, this.more),
      el("span", { className: "alert-buttons" }, this.openButton, this.ackButton),
    );
    this.flash.addEventListener("animationend", () => this.flash.classList.remove("is-flashing"));
    this.banner.addEventListener("animationend", () => this.banner.classList.remove("is-flashing"));
  }

  get isShown() {
    return !this.banner.hidden;
  }

  raise(item) {
    this.#alerts = [item, ...this.#alerts.filter((known) => known.id !== item.id)];
    this.banner.hidden = false;
    this.flash.classList.add("is-on");
    this.render();
    restartAnimation(this.banner);
    restartAnimation(this.flash);
    this.#startTitleBlink();
  }

  /** An alert's item changed (e.g. someone else took it): keep the banner's text current. */
  update(item) {
    const index = this.#alerts.findIndex((known) => known.id === item.id);
    if (index === -1) return;
    this.#alerts[index] = item;
    this.render();
  }

  acknowledge() {
    this.#alerts = [];
    this.banner.hidden = true;
    this.flash.classList.remove("is-on");
    this.#stopTitleBlink();
  }

  render() {
    this.title.textContent = t("alert.title");
    this.openButton.textContent = t("alert.open");
    this.ackButton.textContent = t("alert.ack");
    const newest = this.#alerts[0];
    if (!newest) return;
    this.banner.dataset.itemId = String(newest.id);
    this.banner.dataset.category = newest.category ?? "";
    this.text.textContent = t("alert.text", {
      category: label("category", newest.category),
      nick: targetOf(newest).nick || "?",
      ago: newest.created_at ? formatAgo(newest.created_at) : "",
    });
    const others = this.#alerts.length - 1;
    this.more.textContent =
      others === 0 ? "" : others === 1 ? t("alert.more.one") : t("alert.more", { n: others });
  }

  /** The page title to show when no alert is blinking. */
  restTitle() {
    return t("doc.title");
  }

  #open() {
    const newest = this.#alerts[0];
    if (newest) this.#onOpen(newest.id);
    this.acknowledge();
  }

  #startTitleBlink() {
    if (this.#titleTimer !== null) return;
    this.#titleTimer = setInterval(() => {
      this.#titleOn = !this.#titleOn;
      document.title = this.#titleOn ? t("alert.doc") : this.restTitle();
    }, TITLE_BLINK_MS);
    document.title = t("alert.doc");
    this.#titleOn = true;
  }

  #stopTitleBlink() {
    clearInterval(this.#titleTimer);
    this.#titleTimer = null;
    this.#titleOn = false;
    document.title = this.restTitle();
  }
}

/** Play a CSS animation again from its start (removing and re-adding its class). */
function restartAnimation(node) {
  node.classList.remove("is-flashing");
  void node.offsetWidth; // forces a style flush, so the re-added class starts a new animation
  node.classList.add("is-flashing");
}
