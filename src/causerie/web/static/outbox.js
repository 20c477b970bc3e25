// What I write is never lost: messages that cannot go out now wait here and leave when they can.
//
// - Offline (the connection lost, being brought back): a message is kept as "en attente" in its
//   conversation. Room messages leave once the room is rejoined (its `joined`, after the
//   missed history, so that a line the server had stored before the loss is recognised and not
//   sent twice); private ones right after `welcome`.
// - New private conversations not open yet (a new session waits, `rate_limited` with the
//   `dm_wait` reason, see docs/protocol.md): the message waits for the moment the server gave
//   (`retry_after`) and leaves by itself then; the composer shows the countdown meanwhile, and
//   before the first message when the `welcome` says how long the wait is (`dm_wait_s`).
// - A message refused for a reason that passes (too fast, service busy) or left in doubt by a
//   lost connection is marked "non envoyé" with "Réessayer".

import { t } from "./i18n.js";

export class Outbox {
  #state;
  #request; // (type, fields, meta) -> request id, or null when offline
  #onChange;
  #timer = null;
  dmOpensAt = 0; // when this session may open new private conversations (ms since 1970)

  constructor({ state, request, onChange }) {
    this.#state = state;
    this.#request = request;
    this.#onChange = onChange;
  }

  /** Whether `conversation` is a new private conversation that must still wait. */
  mustWait(conversation) {
    return (
      conversation.kind === "dm" && !conversation.hasExchanged() && this.dmOpensAt > Date.now()
    );
  }

  /** Seconds left before new private conversations open (0: open). */
  dmWaitLeft() {
    return Math.max(0, Math.ceil((this.dmOpensAt - Date.now()) / 1000));
  }

  /** The `welcome` said how long a new session waits (an optional field; 0 when absent). */
  welcomed(frame) {
    const waitS = Number(frame.dm_wait_s);
    if (Number.isFinite(waitS) && waitS > 0) this.#waitDmUntil(Date.now() + waitS * 1000);
  }

  /**
   * Send `text` to `conversation`, or keep it to send later. Always keeps the text.
   * `replyTo`: the message it answers ({id, from, text}), or null.
   */
  send(conversation, text, replyTo = null) {
    const me = this.#state.me;
    if (this.mustWait(conversation)) {
      conversation.addQueued(me, text, "dm_wait", replyTo);
      this.#waitDmUntil(this.dmOpensAt);
      return;
    }
    const id = this.#post(conversation, text, replyTo);
    if (id === null) conversation.addQueued(me, text, "offline", replyTo);
    else conversation.addPending(id, me, text, null, replyTo);
  }

  /** Send an uploaded picture; false when offline (a picture is not kept: upload again). */
  sendMedia(conversation, media) {
    const meta = { key: conversation.key };
    const fields = { text: "", media: media.id };
    const id =
      conversation.kind === "room"
        ? this.#request("say", { room: conversation.id, ...fields }, meta)
        : this.#request("dm", { to: conversation.id, ...fields }, meta);
    if (id === null) return false;
    conversation.addPending(id, this.#state.me, "", media);
    return true;
  }

  /** "Réessayer" on a line not sent. */
  retry(conversation, entry) {
    if (this.mustWait(conversation)) {
      Object.assign(entry, { failed: false, error: null, canRetry: false, queued: "dm_wait" });
      return;
    }
    const id = this.#post(conversation, entry.text, entry.reply_to);
    if (id === null) {
      Object.assign(entry, { failed: false, error: null, canRetry: false, queued: "offline" });
    } else {
      conversation.resend(entry, id);
    }
  }

  /** The connection was lost: settle what was in flight (see Conversation.connectionLost). */
  connectionLost() {
    for (const conversation of this.#state.conversations.values()) {
      conversation.connectionLost({
        requeue: conversation.kind === "room",
        reason: t("chat.unsent.connection"),
      });
    }
  }

  /** A room was (re)joined and its history merged: send what waits for it. */
  flushRoom(conversation) {
    this.#flush(conversation);
  }

  /** Welcomed: private messages waiting for the connection go out. */
  flushDms() {
    for (const conversation of this.#state.conversations.values()) {
      if (conversation.kind === "dm") this.#flush(conversation);
    }
  }

  /**
   * A `dm` was refused with `rate_limited`. The wait for new conversations (reason `dm_wait`,
   * or a first message in a conversation where nothing passed yet) keeps the line and sends it
   * when allowed; true if it was that.
   */
  dmRefused(conversation, clientId, frame) {
    const retryAfter = Number(frame.retry_after);
    const isDmWait =
      frame.reason === "dm_wait" || (!frame.reason && !conversation.hasExchanged());
    if (!isDmWait || !(retryAfter > 0)) return false;
    const entry = conversation.messages.find((message) => message.clientId === clientId);
    if (!entry) return false;
    Object.assign(entry, { pending: false, queued: "dm_wait" });
    this.#waitDmUntil(Date.now() + retryAfter * 1000);
    return true;
  }

  #waitDmUntil(at) {
    this.dmOpensAt = Math.max(this.dmOpensAt, at);
    clearTimeout(this.#timer);
    const delayMs = Math.max(0, this.dmOpensAt - Date.now()) + 250;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flushDms();
      this.#onChange();
    }, delayMs);
  }

  #flush(conversation) {
    if (this.mustWait(conversation)) return;
    const entries = conversation.queuedEntries();
    for (const entry of entries) {
      const id = this.#post(conversation, entry.text, entry.reply_to);
      if (id === null) return;
      conversation.resend(entry, id);
    }
    if (entries.length) this.#onChange();
  }

  #post(conversation, text, replyTo = null) {
    const meta = { key: conversation.key };
    const fields = replyTo ? { text, reply_to: replyTo.id } : { text };
    return conversation.kind === "room"
      ? this.#request("say", { room: conversation.id, ...fields }, meta)
      : this.#request("dm", { to: conversation.id, ...fields }, meta);
  }
}
