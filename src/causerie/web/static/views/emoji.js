// The emoji picker beside the composer: a small grid of Unicode emoji by category; the chosen
// one goes into the message where the caret is. Keyboard: the arrows move in the grid, Enter
// or Space inserts, Escape closes and gives the focus back to the message field.

import { byId, el } from "../dom.js";
import { addTexts, t } from "../i18n.js";
import { EMOJI_CATEGORIES } from "./emoji-data.js";

addTexts({
  fr: {
    "emoji.open": "Ajouter un émoji",
    "emoji.title": "Émoji",
    "emoji.cat.smileys": "Visages",
    "emoji.cat.gestures": "Gestes",
    "emoji.cat.hearts": "Cœurs et symboles",
    "emoji.cat.nature": "Animaux et nature",
    "emoji.cat.food": "Nourriture",
    "emoji.cat.activities": "Activités et objets",
  },
  en: {
    "emoji.open": "Add an emoji",
    "emoji.title": "Emoji",
    "emoji.cat.smileys": "Faces",
    "emoji.cat.gestures": "Gestures",
    "emoji.cat.hearts": "Hearts and symbols",
    "emoji.cat.nature": "Animals and nature",
    "emoji.cat.food": "Food",
    "emoji.cat.activities": "Activities and objects",
  },
});

const COLUMNS = 8;

export class EmojiPicker {
  #onPick;
  #category = EMOJI_CATEGORIES[0].id;

  /** onPick(emoji): insert it; onClose(): the picker closed by Escape (focus the input). */
  constructor({ onPick, onClose }) {
    this.#onPick = onPick;
    this.onClose = onClose;
    this.button = byId("composer-emoji");
    this.panel = byId("emoji-picker");
    this.tabs = el("div", { className: "emoji-tabs", attrs: { role: "tablist" } });
    this.grid = el("div", {
      className: "emoji-grid",
      id: "emoji-grid",
      attrs: { role: "tabpanel" },
    });
    this.panel.replaceChildren(this.tabs, this.grid);
    this.button.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    this.panel.addEventListener("keydown", (event) => this.#onKey(event));
    document.addEventListener("pointerdown", (event) => {
      if (this.isOpen && !this.panel.contains(event.target) && event.target !== this.button) {
        this.close();
      }
    });
    this.relabel();
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  open() {
    this.#render();
    this.panel.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.grid.querySelector("button")?.focus();
  }

  close({ refocus = false } = {}) {
    if (!this.isOpen) return;
    this.panel.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
    if (refocus) this.onClose();
  }

  setEnabled(isEnabled) {
    this.button.disabled = !isEnabled;
    if (!isEnabled) this.close();
  }

  relabel() {
    this.button.title = t("emoji.open");
    this.button.setAttribute("aria-label", t("emoji.open"));
    this.panel.setAttribute("aria-label", t("emoji.title"));
    if (this.isOpen) this.#render();
  }

  #render() {
    this.tabs.replaceChildren(
      ...EMOJI_CATEGORIES.map((category) => {
        const isCurrent = category.id === this.#category;
        return el("button", {
          type: "button",
          className: `emoji-tab${isCurrent ? " is-current" : ""}`,
          testid: `emoji-tab-${category.id}`,
          text: category.icon,
          title: t(`emoji.cat.${category.id}`),
          attrs: {
            role: "tab",
            "aria-selected": String(isCurrent),
            "aria-controls": "emoji-grid",
            "aria-label": t(`emoji.cat.${category.id}`),
            tabindex: isCurrent ? "0" : "-1",
          },
          on: {
            click: () => {
              this.#category = category.id;
              this.#render();
              this.tabs.querySelector(".is-current")?.focus();
            },
          },
        });
      }),
    );
    const category = EMOJI_CATEGORIES.find((entry) => entry.id === this.#category);
    this.grid.setAttribute("aria-label", t(`emoji.cat.${category.id}`));
    this.grid.replaceChildren(
      ...category.emoji.map((emoji) =>
        el("button", {
          type: "button",
          className: "emoji",
          testid: "emoji",
          text: emoji,
          on: {
            click: () => {
              this.close();
              this.#onPick(emoji);
            },
          },
        }),
      ),
    );
  }

  #onKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.close({ refocus: true });
      return;
    }
    const buttons = [...this.grid.querySelectorAll("button")];
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = Math.min(buttons.length - 1, Math.max(0, index + moves[event.key]));
    buttons[next].focus();
  }
}
