// What a message offers beside its text (issue 19, docs/protocol.md "Replies", "Typing",
// "Taking back a message"): the quote of the message it answers (a button that scrolls to the
// original), "Répondre" and, on my own messages, "Supprimer"; the bar above the field that
// says which message I am answering; and the "X écrit…" line, which expires by itself.

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { paintNick } from "../people.js";

/** A typing signal shows this long unless another one comes (the server lets one through every 3 s). */
export const TYPING_SHOWN_MS = 6000;
/** How often I tell a conversation that I am typing: the server lets one through every 3 s,
 * measured when each arrives, so a little more here keeps a signal from landing just early. */
export const TYPING_EVERY_MS = 3500;
const HIGHLIGHT_MS = 2000;

/** The quote above a reply: the original's author and start, or that it is gone. */
export function quoteNode(quote, onJump) {
  if (!quote.from) {
    return el("span", {
      className: "message-quote is-gone",
      testid: "message-quote",
      text: t("reply.gone"),
    });
  }
  return el(
    "button",
    {
      type: "button",
      className: "message-quote",
      testid: "message-quote",
      title: t("reply.jump"),
      on: { click: () => onJump(quote.id) },
    },
    paintNick(el("span", { className: "nick message-quote-nick", text: quote.from }), quote.from),
    el("span", { className: "message-quote-text", text: quote.text || t("picture.alt") }),
  );
}

/** "Répondre" and, on my own messages, "Supprimer". */
export function messageActions({ canReply, canDelete, onReply, onDelete }) {
  if (!canReply && !canDelete) return null;
  return el(
    "span",
    { className: "message-actions" },
    canReply
      ? el("button", {
          type: "button",
          className: "button button-quiet message-action",
          testid: "message-reply",
          text: t("message.reply"),
          on: { click: onReply },
        })
      : null,
    canDelete
      ? el("button", {
          type: "button",
          className: "button button-quiet message-action",
          testid: "message-delete",
          text: t("message.delete"),
          on: { click: onDelete },
        })
      : null,
  );
}

/** Scroll the list to message `id` and mark it a moment; false when it is not loaded. */
export function jumpTo(list, id) {
  const node = list.querySelector(`[data-id="${Number(id)}"]`);
  if (!node) return false;
  node.scrollIntoView({ block: "center", behavior: "smooth" });
  node.classList.add("is-highlighted");
  setTimeout(() => node.classList.remove("is-highlighted"), HIGHLIGHT_MS);
  return true;
}

/** The bar above the field: "Réponse à Alice : …" with a button to cancel. */
export class ReplyBar {
  #onCancel;

  constructor(onCancel) {
    this.#onCancel = onCancel;
    this.bar = byId("composer-reply");
    this.text = byId("composer-reply-text");
    byId("composer-reply-cancel").addEventListener("click", () => this.#onCancel());
  }

  /** Show `quote` ({id, from, text}) or nothing. */
  render(quote) {
    this.bar.hidden = !quote;
    if (!quote) return;
    this.text.replaceChildren(
      el("span", { text: t("reply.to", { nick: quote.from }) }),
      el("span", { className: "composer-reply-excerpt", text: quote.text || t("picture.alt") }),
    );
  }
}

/** Who is typing where: nick lists per conversation key, each name expiring by itself. */
export class TypingLine {
  #typing = new Map(); // conversation key -> Map(nick -> timer)
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
    this.line = byId("typing-line");
  }

  show(key, nick) {
    let people = this.#typing.get(key);
    if (!people) this.#typing.set(key, (people = new Map()));
    clearTimeout(people.get(nick));
    people.set(
      nick,
      setTimeout(() => this.stop(key, nick), TYPING_SHOWN_MS),
    );
    this.#onChange();
  }

  /** `nick` sent their message (or the signal expired). */
  stop(key, nick) {
    const people = this.#typing.get(key);
    if (!people?.has(nick)) return;
    clearTimeout(people.get(nick));
    people.delete(nick);
    if (!people.size) this.#typing.delete(key);
    this.#onChange();
  }

  render(activeKey) {
    const nicks = [...(this.#typing.get(activeKey)?.keys() ?? [])];
    this.line.hidden = nicks.length === 0;
    if (!nicks.length) {
      this.line.textContent = "";
      return;
    }
    const key = nicks.length === 1 ? "typing.one" : nicks.length === 2 ? "typing.two" : "typing.many";
    this.line.textContent = t(key, { nick: nicks[0], other: nicks[1] ?? "", n: nicks.length });
  }
}
