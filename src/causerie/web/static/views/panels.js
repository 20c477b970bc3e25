// On a phone the three panels (rooms, conversation, members) become views switched by a small
// navigation bar; on a wider screen they sit side by side and all count as visible.

import { byId } from "../dom.js";

export const PHONE_QUERY = "(max-width: 760px)";

export class PanelSwitcher {
  #onChange;

  /** onChange(panel) runs after the visible panel changes (to clear unread counts). */
  constructor({ onChange }) {
    this.#onChange = onChange;
    this.chat = byId("chat-view");
    this.nav = byId("panel-nav");
    this.media = window.matchMedia(PHONE_QUERY);
    for (const button of this.nav.querySelectorAll("[data-panel-target]")) {
      button.addEventListener("click", () => this.show(button.dataset.panelTarget));
    }
    this.media.addEventListener("change", () => {
      this.#markButtons();
      this.#onChange(this.current);
    });
    this.#markButtons();
  }

  get current() {
    return this.chat.dataset.panel;
  }

  get isPhone() {
    return this.media.matches;
  }

  /** Whether `panel` can be seen now (always, on a wide screen). */
  isVisible(panel) {
    return !this.isPhone || this.current === panel;
  }

  show(panel) {
    if (this.current === panel) return;
    this.chat.dataset.panel = panel;
    this.#markButtons();
    this.#onChange(panel);
  }

  #markButtons() {
    for (const button of this.nav.querySelectorAll("[data-panel-target]")) {
      const isCurrent = button.dataset.panelTarget === this.current;
      button.classList.toggle("is-current", isCurrent);
      button.setAttribute("aria-pressed", String(isCurrent));
    }
  }
}
