// The message field: several lines (Enter sends, Shift+Enter breaks the line), a draft kept per
// conversation (switching tabs or losing the connection never loses what was typed), the
// list of the room's members when typing `@` (arrows, Enter or Tab to choose, Escape to
// close), emoji inserted where the caret is, and a status line under it (the wait before new
// private conversations open, with its countdown).

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { foldNick, paintNick } from "../people.js";
import { EmojiPicker } from "./emoji.js";

const MAX_SUGGESTIONS = 8;
const MAX_LINES_PX = 160; // the field grows with its text up to about six lines
const MENTION_QUERY = /(?:^|[\s(])@([\p{L}\p{N}_.-]{0,20})$/u;

export class Composer {
  #handlers;
  #drafts = new Map(); // conversation key -> unsent text
  #key = null;
  #suggestions = []; // user objects offered for the mention being typed
  #chosen = 0;

  /** handlers: onSend(text) -> whether it was taken; members() -> the room's people. */
  constructor(handlers) {
    this.#handlers = handlers;
    this.form = byId("composer");
    this.input = byId("composer-input");
    this.sendButton = byId("composer-send");
    this.status = byId("composer-status");
    this.list = byId("mention-list");
    this.emoji = new EmojiPicker({
      onPick: (emoji) => this.insert(emoji),
      onClose: () => this.input.focus(),
    });

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    this.input.addEventListener("keydown", (event) => this.#onKey(event));
    this.input.addEventListener("input", () => {
      this.#grow();
      this.#suggest();
    });
    this.input.addEventListener("blur", () => {
      // Leave time for a click on a suggestion to land first.
      setTimeout(() => this.#closeSuggestions(), 150);
    });
  }

  get value() {
    return this.input.value;
  }

  focus() {
    this.input.focus();
  }

  /** Show conversation `key`'s draft (the one shown before keeps its own). */
  switchTo(key) {
    if (key === this.#key) return;
    if (this.#key !== null) this.#drafts.set(this.#key, this.input.value);
    this.#key = key;
    this.input.value = key === null ? "" : (this.#drafts.get(key) ?? "");
    this.#drafts.delete(key);
    this.#closeSuggestions();
    this.#grow();
  }

  /** Forget every draft (logging out). */
  reset() {
    this.#drafts.clear();
    this.#key = null;
    this.input.value = "";
    this.#grow();
  }

  /** Put a refused message back, unless something new was typed since. */
  restoreDraft(text) {
    if (!this.input.value) {
      this.input.value = text;
      this.#grow();
    }
  }

  /** Insert `text` at the caret (or over the selection) and keep typing after it. */
  insert(text) {
    const { selectionStart: start, selectionEnd: end } = this.input;
    this.input.setRangeText(text, start ?? this.input.value.length, end ?? start, "end");
    this.input.focus();
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  setEnabled(isEnabled, placeholder) {
    this.input.disabled = !isEnabled;
    this.sendButton.disabled = !isEnabled;
    this.input.placeholder = placeholder;
    this.emoji.setEnabled(isEnabled);
    if (!isEnabled) this.#closeSuggestions();
  }

  /** The line under the field (null: none). */
  setStatus(text) {
    this.status.hidden = !text;
    if (this.status.textContent !== (text ?? "")) this.status.textContent = text ?? "";
  }

  relabel() {
    this.emoji.relabel();
  }

  #submit() {
    const text = this.input.value;
    if (!text.trim()) return;
    if (this.#handlers.onSend(text)) {
      this.input.value = "";
      this.#grow();
    }
    this.#closeSuggestions();
    this.input.focus();
  }

  #onKey(event) {
    if (this.#suggestions.length) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const count = this.#suggestions.length;
        this.#chosen = (this.#chosen + step + count) % count;
        this.#renderSuggestions();
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        this.#complete(this.#suggestions[this.#chosen]);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        this.#closeSuggestions();
        return;
      }
    }
    // Enter sends; Shift+Enter breaks the line; an input method composing a word keeps Enter.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#submit();
    }
  }

  #grow() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, MAX_LINES_PX)}px`;
  }

  /** The `@…` being typed just before the caret, or null. */
  #query() {
    if (this.input.selectionStart !== this.input.selectionEnd) return null;
    const before = this.input.value.slice(0, this.input.selectionStart);
    const match = MENTION_QUERY.exec(before);
    return match ? match[1] : null;
  }

  #suggest() {
    const query = this.#query();
    if (query === null) {
      this.#closeSuggestions();
      return;
    }
    const folded = foldNick(query);
    this.#suggestions = this.#handlers
      .members()
      .filter((user) => foldNick(user.nick).startsWith(folded))
      .sort((a, b) => a.nick.localeCompare(b.nick, undefined, { sensitivity: "base" }))
      .slice(0, MAX_SUGGESTIONS);
    this.#chosen = 0;
    this.#renderSuggestions();
  }

  #complete(user) {
    const query = this.#query();
    if (query === null || !user) return;
    const end = this.input.selectionStart;
    this.input.setRangeText(`${user.nick} `, end - query.length, end, "end");
    this.#closeSuggestions();
    this.#grow();
    this.input.focus();
  }

  #renderSuggestions() {
    const isOpen = this.#suggestions.length > 0;
    this.list.hidden = !isOpen;
    if (!isOpen) {
      this.input.removeAttribute("aria-activedescendant");
      this.list.replaceChildren();
      return;
    }
    this.list.setAttribute("aria-label", t("mention.list"));
    this.list.replaceChildren(
      ...this.#suggestions.map((user, index) =>
        el(
          "li",
          {
            className: `mention-option${index === this.#chosen ? " is-chosen" : ""}`,
            id: `mention-option-${index}`,
            testid: `mention-option-${user.nick}`,
            attrs: { role: "option", "aria-selected": String(index === this.#chosen) },
            on: {
              pointerdown: (event) => event.preventDefault(), // keep the focus in the field
              click: () => this.#complete(user),
            },
          },
          paintNick(el("span", { className: "nick", text: `@${user.nick}` }), user.nick),
        ),
      ),
    );
    this.input.setAttribute("aria-activedescendant", `mention-option-${this.#chosen}`);
  }

  #closeSuggestions() {
    if (!this.#suggestions.length && this.list.hidden) return;
    this.#suggestions = [];
    this.#renderSuggestions();
  }
}
