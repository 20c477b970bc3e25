// What arrives in conversations: rooms joined with their history, room messages, private
// messages and requests, acknowledgements. Merges them into the state with no gap and no
// duplicate (every message is kept once by its id, docs/protocol.md "Resume"), counts what is
// unread and what mentions me (apart), and alerts the person (attention.js).
//
// After a reconnection a room's `joined` carries every message after the resume's `last_id`:
// my own lines among them settle the lines of mine still waiting (sent just before the loss
// and stored by the server), then what still waits is sent (outbox.js).

import { alertTitle } from "./attention.js";
import { t } from "./i18n.js";
import { foldNick } from "./people.js";
import { messageOf } from "./refusals.js";
import { mentions } from "./richtext.js";
import { HISTORY_PAGE, roomIdOf, roomKey } from "./state.js";

export class Inbox {
  #app;

  /**
   * app: the controller, for state, outbox, attention, notices, takeRequest(id),
   * isSeeing(conversation), activate(key), focusComposer(), select(key), render(options).
   */
  constructor(app) {
    this.#app = app;
  }

  get #state() {
    return this.#app.state;
  }

  /** Remember the newest message id seen (the `last_id` of a resume without rooms). */
  #noteSeen(id) {
    const app = this.#app;
    if (Number.isSafeInteger(id) && (app.lastMessageId === null || id > app.lastMessageId)) {
      app.lastMessageId = id;
    }
  }

  /** Whether a message (not mine) names me: `@nick`, or `nick:` at its start. */
  #mentionsMe(message) {
    const me = this.#state.me;
    return Boolean(me) && !message.deleted && mentions(message.text, me.nick);
  }

  onJoined(frame) {
    const app = this.#app;
    const state = this.#state;
    const meta = app.takeRequest(frame.re);
    const roomId = roomIdOf(frame.room);
    const room =
      frame.room !== null && typeof frame.room === "object"
        ? frame.room
        : (state.room(roomId) ?? { id: roomId, name: roomId });
    const isRejoin = state.get(roomKey(roomId)) !== null;
    const conversation = state.openRoom(room);
    app.continuity.restoreUnread(conversation);
    const members = Array.isArray(frame.members) ? frame.members : [];
    conversation.members = new Map(members.map((user) => [foldNick(user.nick), user]));
    const known = state.room(roomId);
    if (known) known.members = members.length;
    const history = Array.isArray(frame.history) ? frame.history : [];
    const newestBefore = conversation.newestId();
    const isSeeing = app.isSeeing(conversation);
    const mine = new Set();
    for (const message of history) {
      this.#noteSeen(message.id);
      if (!message.from) continue;
      // Mine by identity: an id this person sent, or the echo of a line of mine still
      // waiting. The same nickname alone is a former owner's (continuity.js).
      const line = messageOf(message);
      if (
        state.isMe(message.from.nick) &&
        (state.myIds.has(message.id) || conversation.hasPendingEcho(line))
      ) {
        mine.add(message.id);
        app.continuity.noteMine(message.id);
        conversation.settleEcho(line); // a line of mine that did arrive
        continue;
      }
      message.mentionsMe = this.#mentionsMe(message);
      // Missed while away (a rejoin): unread, like any new message.
      const isMissed = isRejoin && newestBefore !== null && message.id > newestBefore;
      if (isMissed && !isSeeing && !state.isBlocked(message.from.nick)) {
        conversation.unread += 1;
        if (message.mentionsMe) conversation.mentions += 1;
      }
    }
    conversation.addMany(history.filter((message) => !mine.has(message.id)));
    conversation.hasMore = conversation.hasMore || history.length >= HISTORY_PAGE;
    if (meta?.activate || !state.activeKey) app.activate(conversation.key);
    app.outbox.flushRoom(conversation);
    app.render();
    // The room was chosen (click, Enter or Space): the keyboard goes to the message field.
    if (meta?.activate) app.focusComposer();
  }

  onMessage(frame) {
    const app = this.#app;
    const state = this.#state;
    const conversation = state.get(roomKey(roomIdOf(frame.room)));
    if (!conversation || !frame.from) return;
    const message = messageOf(frame);
    this.#noteSeen(frame.id);
    app.actions.onMessage(conversation.key, frame.from.nick);
    if (state.isMe(frame.from.nick)) {
      app.continuity.noteMine(frame.id); // live under my nickname: only I can send it now
      conversation.settleEcho(message);
    } else {
      message.mentionsMe = this.#mentionsMe(message);
      const isSeeing = app.isSeeing(conversation);
      if (conversation.add(message) && !state.isBlocked(frame.from.nick)) {
        if (!isSeeing) {
          conversation.unread += 1;
          if (message.mentionsMe) conversation.mentions += 1;
        }
        if (message.mentionsMe) {
          app.attention.alert({
            kind: "mention",
            isSeen: isSeeing,
            title: alertTitle("mention", { nick: frame.from.nick, room: conversation.title }),
            body: message.text,
            key: conversation.key,
          });
        }
      }
    }
    app.render();
  }

  onAck(frame) {
    const app = this.#app;
    const meta = app.takeRequest(frame.re);
    const candidates = meta?.key
      ? [this.#state.get(meta.key)]
      : [...this.#state.conversations.values()];
    app.continuity.noteMine(frame.message_id);
    for (const conversation of candidates) {
      if (conversation?.acknowledge(frame.re, frame.message_id, frame.ts)) break;
    }
    app.render();
  }

  onHistory(frame) {
    const app = this.#app;
    app.takeRequest(frame.re);
    const conversation = this.#state.get(roomKey(roomIdOf(frame.room)));
    if (!conversation) return;
    const messages = Array.isArray(frame.messages) ? frame.messages : [];
    for (const message of messages) {
      if (message.from && !this.#state.isMe(message.from.nick)) {
        message.mentionsMe = this.#mentionsMe(message);
      }
    }
    conversation.addMany(messages);
    conversation.hasMore = Boolean(frame.more);
    conversation.loadingOlder = false;
    app.render({ keepOffsetFromBottom: true });
  }

  /** "Plus ancien": the page of history before the oldest message shown. */
  loadOlder() {
    const app = this.#app;
    const conversation = this.#state.active;
    if (!conversation || conversation.kind !== "room" || conversation.loadingOlder) return;
    const before = conversation.oldestId();
    if (before === null) return;
    const id = app.request("history", { room: conversation.id, before }, { key: conversation.key });
    if (id === null) return;
    conversation.loadingOlder = true;
    app.render();
  }

  onDm(frame) {
    const app = this.#app;
    const state = this.#state;
    if (!frame.from || !frame.to) return;
    // The server sends a person only their own private messages: from my nickname is mine.
    const isMine = state.isMe(frame.from.nick);
    const conversation = state.openDm(isMine ? frame.to : frame.from);
    app.continuity.restoreUnread(conversation);
    app.continuity.noteDm(frame, isMine);
    const wasSeen = app.continuity.wasSeen(frame.id); // replayed after a reload
    const message = messageOf(frame);
    this.#noteSeen(frame.id);
    app.actions.onMessage(conversation.key, frame.from.nick);
    if (isMine) {
      conversation.settleEcho(message);
    } else if (conversation.unmask(message)) {
      // A message first shown masked (a request) now arrives in full: not a new one.
    } else if (conversation.add(message) && !wasSeen) {
      const isSeeing = app.isSeeing(conversation);
      if (!isSeeing) conversation.unread += 1;
      app.attention.alert({
        kind: "dm",
        isSeen: isSeeing,
        title: alertTitle("dm", { nick: frame.from.nick }),
        body: message.text || t("picture.alt"),
        key: conversation.key,
      });
      this.#offerNotifications();
    }
    app.render();
  }

  /** A stranger's first private message(s), masked: to "Demandes" until answered. */
  onDmRequest(frame) {
    const app = this.#app;
    const state = this.#state;
    if (!frame.from || !frame.to) return;
    if (state.isMe(frame.from.nick)) {
      // My own message, as the other person sees it until they accept.
      this.onDm(frame);
      return;
    }
    if (state.isBlocked(frame.from.nick)) return;
    app.continuity.noteDm(frame, false);
    const isNew = state.request(frame.from.nick) === null;
    state.addRequest(frame);
    if (isNew && !app.continuity.wasSeen(frame.id)) {
      app.attention.alert({
        kind: "dm",
        isSeen: false,
        title: alertTitle("dm", { nick: frame.from.nick }),
        body: t("requests.intro"),
        key: `request:${foldNick(frame.from.nick)}`,
      });
      this.#offerNotifications();
    }
    app.render();
  }

  onAccepted(frame) {
    const app = this.#app;
    const meta = app.takeRequest(frame.re);
    const nick = String(frame.nick ?? meta?.nick ?? "");
    if (!nick) return;
    const conversation = this.#state.acceptRequest(nick);
    app.select(conversation.key);
  }

  /** The first private message: offer notifications (the browser asks after the click). */
  #offerNotifications() {
    const app = this.#app;
    if (!app.attention.shouldOffer()) return;
    app.notices.offer(t("notify.offer"), t("notify.offer.accept"), async () => {
      await app.attention.enableNotifications();
      app.settingsDialog.renderAttention();
    });
  }
}
