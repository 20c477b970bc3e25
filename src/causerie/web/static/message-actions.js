// What one does to messages beside writing them (docs/protocol.md "Replies", "Typing",
// "Taking back a message"): answer one (the quote travels as `reply_to`), take back one's own
// (`delete`, after a confirmation), tell the conversation one is typing (`typing`, at most
// every 3.5 s, only when something is typed), and show what the server says of these.

import { t } from "./i18n.js";
import { dmKey, roomIdOf, roomKey } from "./state.js";
import { ReplyBar, TYPING_EVERY_MS, TypingLine } from "./views/message-extras.js";

export class MessageActions {
  #app;
  #replies = new Map(); // conversation key -> {id, from, text} being answered
  #typingSent = new Map(); // conversation key -> when I last said I was typing
  #typingTimer = null; // the one more signal due at the end of the interval

  /** app: the controller (state, request(type, fields), render(), focusComposer()). */
  constructor(app) {
    this.#app = app;
    this.replyBar = new ReplyBar(() => this.cancelReply());
    this.typing = new TypingLine(() => app.render());
  }

  /** What the conversation view calls on a message's buttons and on typing. */
  viewHandlers() {
    return {
      onReply: (message) => this.reply(message),
      onDelete: (message) => this.remove(message),
      onTyping: () => this.noteTyping(),
    };
  }

  /** "Répondre" on a message of the active conversation. */
  reply(message) {
    const conversation = this.#app.state.active;
    if (!conversation || message.id === undefined || message.id === null) return;
    const from = message.from?.nick ?? "";
    this.#replies.set(conversation.key, { id: message.id, from, text: message.text ?? "" });
    this.#app.render();
    this.#app.focusComposer();
  }

  cancelReply() {
    const key = this.#app.state.activeKey;
    if (key) this.#replies.delete(key);
    this.#app.render();
  }

  /** The quote the next message of `conversation` answers (taken: it goes with that message). */
  takeReply(conversation) {
    const quote = this.#replies.get(conversation.key) ?? null;
    this.#replies.delete(conversation.key);
    return quote;
  }

  /** "Supprimer" on one of my messages: asked first, then gone for everyone. */
  remove(message) {
    if (message.id === undefined || message.id === null) return;
    if (!window.confirm(t("message.delete.confirm"))) return;
    this.#app.request("delete", { message_id: message.id });
  }

  /**
   * Something was typed in the active conversation. Within 3.5 s of the last signal, one more
   * goes at the end of those 3.5 s if the field still holds text (typing that goes on keeps
   * the line alive; one signal more is all the server would let through).
   */
  noteTyping() {
    const app = this.#app;
    const conversation = app.state.active;
    if (!conversation || !app.isOnline || this.#typingTimer !== null) return;
    // A request not yet answered is not a conversation: the server would drop it anyway.
    if (conversation.kind === "dm" && !conversation.hasExchanged()) return;
    const waitMs = (this.#typingSent.get(conversation.key) ?? 0) + TYPING_EVERY_MS - Date.now();
    if (waitMs > 0) {
      this.#typingTimer = setTimeout(() => {
        this.#typingTimer = null;
        if (app.state.active === conversation && app.conversation.composer.value.trim()) {
          this.noteTyping();
        }
      }, waitMs);
      return;
    }
    this.#typingSent.set(conversation.key, Date.now());
    const fields = conversation.kind === "room" ? { room: conversation.id } : { to: conversation.id };
    app.link.send("typing", fields); // no answer comes: not tracked as a request
  }

  /** `typing {from, room?}` */
  onTyping(frame) {
    const nick = frame.from?.nick;
    if (!nick || this.#app.state.isMe(nick)) return;
    const key = frame.room ? roomKey(roomIdOf(frame.room)) : dmKey(nick);
    this.typing.show(key, nick);
  }

  /** A message arrived: its author is no longer typing there. */
  onMessage(key, nick) {
    if (nick) this.typing.stop(key, nick);
  }

  /** `deleted {room?, message_id, by?}`: its author's take-back disappears, a moderator's
   * removal keeps its place; replies to it say the original is gone. */
  onDeleted(frame) {
    const state = this.#app.state;
    const id = frame.message_id;
    if (frame.by === "author") state.removeMessage(id);
    else state.deleteMessage(roomIdOf(frame.room), id);
    for (const conversation of state.conversations.values()) {
      for (const message of conversation.messages) {
        if (message.reply_to?.id === id) message.reply_to = { id };
      }
    }
    this.#app.render();
  }

  render(activeKey) {
    this.replyBar.render(activeKey ? (this.#replies.get(activeKey) ?? null) : null);
    this.typing.render(activeKey);
  }
}
