// What the client knows: who I am, the rooms I may see, the open conversations with their
// messages and members, and my block list. No DOM and no socket here: app.js feeds it frames,
// the views read it and re-render.
//
// Own messages: a message I send is shown at once as pending (it has the request id but no
// message id). The server then sends two things in either order: the `message`/`dm` echo (with
// the final id) and the `ack {re, message_id}`. The echo gives the pending entry its id but it
// stays pending; the ack makes it normal. Ids dedupe everything else.
//
// Safety state lives here too: message requests from strangers (masked until accepted), the
// moderators' statements of reasons with their appeal, my private-message setting, and each
// room's lock and slow mode.

import { foldNick, sameNick } from "./people.js";

/** Messages kept per conversation; older ones can be fetched again with "Older". */
export const MAX_MESSAGES = 500;
/** The server sends this many messages of history on join; fewer means there are no more. */
export const HISTORY_PAGE = 50;
/** Safety notices kept per conversation, and statements of reasons kept on screen. */
const MAX_SAFETY_NOTICES = 3;
const MAX_STATEMENTS = 5;
/** Masked messages kept per request (a stranger who insists does not fill the screen). */
const MAX_REQUEST_MESSAGES = 5;
/** Who may send me private messages (`settings.dm_policy`); the server's default first. */
export const DM_POLICIES = Object.freeze(["everyone", "shared_room", "nobody"]);
/** Report categories, in the order the form lists them (docs/protocol.md, `report`). */
export const REPORT_CATEGORIES = Object.freeze([
  "child_safety",
  "threat",
  "harassment",
  "hate",
  "illegal_goods",
  "sexual_content",
  "spam",
  "other",
]);

export function roomKey(roomId) {
  return `room:${roomId}`;
}

export function dmKey(nick) {
  return `dm:${foldNick(nick)}`;
}

/** A room field may be a room id or a room object, depending on the frame. */
export function roomIdOf(value) {
  return value !== null && typeof value === "object" ? value.id : value;
}

/** A room or a private conversation, as shown in a tab. */
function hasId(entry) {
  return entry.id !== undefined && entry.id !== null;
}

function sortKey(entry) {
  return hasId(entry) ? [entry.id, 0, 0] : [entry.anchor ?? 0, 1, entry.seq ?? 0];
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

export class Conversation {
  #ids = new Set();
  #pendingSeq = 0;
  #queuedSeq = 0;
  #noticeSeq = 0;

  constructor(kind, id, title) {
    this.kind = kind; // "room" | "dm"
    this.id = id; // room id, or the other person's nickname as the server spells it
    this.key = kind === "room" ? roomKey(id) : dmKey(id);
    this.title = title;
    this.messages = [];
    this.unread = 0;
    this.mentions = 0; // unread messages that mention me (counted apart)
    this.topic = ""; // rooms: the topic shown under the name (empty: none)
    this.hasMore = false;
    this.loadingOlder = false;
    this.members = new Map(); // folded nick -> user object (rooms only)
    this.peer = null; // the other person's user object (private conversations only)
    this.isPeerGone = false;
    this.locked = false; // rooms: only staff may post (room_state)
    this.slowModeS = 0; // rooms: one message per person every N seconds (0: off)
    this.safetyNotices = []; // safety notices about this conversation: {seq, text, about}
  }

  /** `about`: the nickname the notice is about, offered for a report in one click. */
  addSafetyNotice(text, about = null) {
    this.#noticeSeq += 1;
    this.safetyNotices.push({ seq: this.#noticeSeq, text, about });
    // The same advice twice in a row says nothing new: keep the newest few.
    if (this.safetyNotices.length > MAX_SAFETY_NOTICES) this.safetyNotices.shift();
  }

  dismissSafetyNotice(seq) {
    this.safetyNotices = this.safetyNotices.filter((notice) => notice.seq !== seq);
  }

  /** A moderator removed message `id`: it keeps its place but loses its text. */
  markDeleted(id) {
    const entry = this.messages.find((message) => message.id === id);
    if (!entry) return false;
    Object.assign(entry, { deleted: true, text: "", pending: false, masked: false });
    return true;
  }

  /**
   * A message that arrived masked (as a request) now arrives in full under the same id:
   * show the full text. True if it replaced one.
   */
  unmask(message) {
    const entry = this.messages.find((old) => old.id === message.id && old.masked);
    if (!entry) return false;
    Object.assign(entry, { text: message.text, masked: false });
    return true;
  }

  /** Add a message from the server; false if it is already there. */
  add(message) {
    if (hasId(message) && this.#ids.has(message.id)) return false;
    if (hasId(message)) this.#ids.add(message.id);
    this.messages.push(message);
    this.#sortAndTrim();
    return true;
  }

  /** Add older messages (a history page, or history after a reconnection). */
  addMany(messages) {
    let added = 0;
    for (const message of messages) {
      if (!hasId(message) || this.#ids.has(message.id)) continue;
      this.#ids.add(message.id);
      this.messages.push(message);
      added += 1;
    }
    if (added) this.#sortAndTrim();
    return added;
  }

  /** Show my own message at once, before the server confirms it. */
  addPending(clientId, from, text, media = null, replyTo = null) {
    // Until it has an id it sorts right after the newest message I could see when sending.
    const last = this.messages.findLast((entry) => hasId(entry));
    this.#pendingSeq += 1;
    this.messages.push({
      clientId,
      from,
      text,
      ...(media ? { media } : {}),
      ...(replyTo ? { reply_to: replyTo } : {}),
      ts: Date.now(),
      pending: true,
      anchor: last ? last.id : 0,
      seq: this.#pendingSeq,
    });
  }

  /**
   * A message of mine that cannot go out now (offline, or new private conversations not open
   * yet): kept, shown as waiting, and sent by the outbox when it can. `reason`: "offline" or
   * "dm_wait". Returns the entry.
   */
  addQueued(from, text, reason, replyTo = null) {
    this.#queuedSeq += 1;
    this.addPending(`q${this.#queuedSeq}`, from, text, null, replyTo);
    const entry = this.messages[this.messages.length - 1];
    Object.assign(entry, { pending: false, queued: reason });
    return entry;
  }

  /** My messages waiting to go out, oldest first. */
  queuedEntries() {
    return this.messages.filter((entry) => entry.queued && !hasId(entry));
  }

  /** A waiting (or refused) message of mine goes out again as request `clientId`. */
  resend(entry, clientId) {
    Object.assign(entry, {
      clientId,
      isLostInFlight: false,
      queued: null,
      pending: true,
      failed: false,
      error: null,
      canRetry: false,
    });
  }

  /**
   * The connection dropped: my lines the server echoed were delivered; the others are in
   * doubt. `requeue`: wait to send them again (rooms: their history after the resume tells
   * whether they arrived first); otherwise they are shown unsent, with "Réessayer".
   */
  connectionLost({ requeue, reason }) {
    for (const entry of this.messages) {
      if (!entry.pending) continue;
      if (hasId(entry)) entry.pending = false;
      else if (requeue) Object.assign(entry, { pending: false, queued: "offline" });
      else {
        // Lost in flight: if the server stored it, its echo (a resume that replays private
        // messages) settles this line instead of adding a second one.
        Object.assign(entry, { pending: false, failed: true, error: reason, canRetry: true });
        entry.isLostInFlight = true;
      }
    }
  }

  /** Whether anything passed between me and this conversation (a message with an id). */
  hasExchanged() {
    return this.messages.some((entry) => hasId(entry) && !entry.failed);
  }

  /**
   * The server's echo of a message I sent: give the matching pending entry its final id
   * (it stays pending until the ack). Returns true if something changed.
   */
  /** Whether `message` is the echo of a line of mine still waiting here. */
  hasPendingEcho(message) {
    return this.messages.some(
      (entry) =>
        entry.clientId &&
        !hasId(entry) &&
        (!entry.failed || entry.isLostInFlight) &&
        entry.text.trim() === message.text.trim() &&
        entry.media?.id === message.media?.id,
    );
  }

  settleEcho(message) {
    if (this.#ids.has(message.id)) return false;
    const pending = this.messages.find(
      (entry) =>
        entry.clientId &&
        !hasId(entry) &&
        (!entry.failed || entry.isLostInFlight) &&
        entry.text.trim() === message.text.trim() &&
        entry.media?.id === message.media?.id,
    );
    if (!pending) return this.add(message);
    // A held line a moderator released arrives too: no longer "retenu pour vérification".
    Object.assign(pending, { id: message.id, ts: message.ts, text: message.text, held: false });
    if (message.reply_to) pending.reply_to = message.reply_to;
    if (pending.isLostInFlight) {
      Object.assign(pending, { failed: false, error: null, canRetry: false, pending: false });
      pending.isLostInFlight = false;
    }
    this.#ids.add(message.id);
    this.#sortAndTrim();
    return true;
  }

  /** The ack of my request `clientId`: the message is stored. False if it is not mine here. */
  acknowledge(clientId, messageId, ts) {
    const pending = this.messages.find((entry) => entry.clientId === clientId);
    if (!pending) return false;
    const echo = this.messages.find((entry) => entry.id === messageId && entry !== pending);
    if (echo) {
      // The echo came first and did not match the text (the server cleaned it): keep the echo.
      this.messages.splice(this.messages.indexOf(pending), 1);
      echo.pending = false;
      return true;
    }
    pending.id = messageId;
    if (ts) pending.ts = ts;
    pending.pending = false;
    this.#ids.add(messageId);
    this.#sortAndTrim();
    return true;
  }

  /** My message `clientId` is held for a moderator: neither sent nor refused. */
  hold(clientId) {
    const pending = this.messages.find((entry) => entry.clientId === clientId);
    if (!pending) return null;
    pending.pending = false;
    pending.held = true;
    return pending;
  }

  /** The server refused my request `clientId`: returns that message, or null if not here. */
  fail(clientId, reason, canRetry = false) {
    const pending = this.messages.find((entry) => entry.clientId === clientId);
    if (!pending) return null;
    pending.pending = false;
    pending.failed = true;
    pending.error = reason;
    pending.canRetry = canRetry;
    return pending;
  }

  /** The id of the newest message with an id (what a resume asks to continue from). */
  newestId() {
    const last = this.messages.findLast((entry) => hasId(entry));
    return last ? last.id : null;
  }

  /** The id of the oldest message with an id (the `before` of a history request). */
  oldestId() {
    const first = this.messages.find((entry) => hasId(entry));
    return first ? first.id : null;
  }

  #sortAndTrim() {
    // By id; a message of mine without an id (pending or refused) goes after its anchor.
    this.messages.sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
    if (this.messages.length > MAX_MESSAGES) {
      const dropped = this.messages.splice(0, this.messages.length - MAX_MESSAGES);
      for (const entry of dropped) this.#ids.delete(entry.id);
      this.hasMore = true;
    }
  }
}

export class ChatState {
  constructor() {
    this.reset();
  }

  reset() {
    this.me = null; // my user object from `welcome`
    this.rooms = []; // rooms I may see: {id, name, kind, audience, members}
    this.conversations = new Map(); // key -> Conversation, in tab order
    this.activeKey = null;
    this.membersKey = null; // the room whose members are listed (the last room viewed)
    this.blocks = new Map(); // folded nick -> nick as given
    this.dmRequests = new Map(); // folded nick -> {from, messages: [{id, from, text, ts}]}
    this.statements = []; // statements of reasons: {id, text, appeal}, newest last
    this.dmPolicy = DM_POLICIES[0];
    this.roomStates = new Map(); // room id -> {locked, slowModeS}, also for rooms not open
    // Ids of messages this person sent (continuity.js): "mine" is who sent it, not the nickname.
    this.myIds = new Set();
  }

  /** Whether I am a minor (band `teen` in `welcome`): safety tips show where they matter. */
  get isTeen() {
    return this.me?.band === "teen";
  }

  // ---- message requests -------------------------------------------------------------------

  /** A stranger's masked first message (`dm_request`); repeated ones join the same request. */
  addRequest(frame) {
    const key = foldNick(frame.from.nick);
    let request = this.dmRequests.get(key);
    if (!request) {
      request = { from: frame.from, messages: [] };
      this.dmRequests.set(key, request);
    }
    request.from = frame.from;
    if (request.messages.some((message) => message.id === frame.id)) return;
    request.messages.push({
      id: frame.id,
      from: frame.from,
      text: String(frame.text ?? ""),
      ts: frame.ts,
      masked: true,
      // A picture stays attached: once accepted it shows blurred, like any private picture.
      ...(frame.media && typeof frame.media.id === "string" ? { media: frame.media } : {}),
    });
    if (request.messages.length > MAX_REQUEST_MESSAGES) request.messages.shift();
  }

  request(nick) {
    return this.dmRequests.get(foldNick(nick)) ?? null;
  }

  /** The request from `nick` was answered: forget it and return it (or null). */
  takeRequest(nick) {
    const key = foldNick(nick);
    const request = this.dmRequests.get(key) ?? null;
    this.dmRequests.delete(key);
    return request;
  }

  /** Accepting a request opens the conversation with its (masked) messages in it. */
  acceptRequest(nick) {
    const request = this.takeRequest(nick);
    if (request) {
      const conversation = this.openDm(request.from);
      conversation.addMany(request.messages);
      return conversation;
    }
    const known = this.get(dmKey(nick));
    if (known) return known;
    const conversation = this.openDm({ nick });
    conversation.peer = null; // nothing known of them yet but the nickname
    return conversation;
  }

  // ---- moderation ---------------------------------------------------------------------------

  /** A statement of reasons (`notice {kind: "moderation", statement_id}`). */
  addStatement(id, text) {
    const known = this.statements.find((statement) => statement.id === id);
    if (known) {
      known.text = text;
      return known;
    }
    // appeal: null, "editing", "sending", "sent"; error: the last refusal's text.
    const statement = { id, text, appeal: null, error: null };
    this.statements.push(statement);
    if (this.statements.length > MAX_STATEMENTS) this.statements.shift();
    return statement;
  }

  statement(id) {
    return this.statements.find((statement) => statement.id === id) ?? null;
  }

  dismissStatement(id) {
    this.statements = this.statements.filter((statement) => statement.id !== id);
  }

  /** `deleted {room, message_id}`: in that room, or wherever the id is (private messages). */
  deleteMessage(roomId, messageId) {
    const room = roomId ? this.get(roomKey(roomId)) : null;
    if (room) return room.markDeleted(messageId);
    let found = false;
    for (const conversation of this.conversations.values()) {
      found = conversation.markDeleted(messageId) || found;
    }
    for (const request of this.dmRequests.values()) {
      request.messages = request.messages.filter((message) => message.id !== messageId);
    }
    return found;
  }

  /** `deleted` by its author: the message disappears wherever it is shown. */
  removeMessage(messageId) {
    for (const conversation of this.conversations.values()) {
      conversation.messages = conversation.messages.filter((message) => message.id !== messageId);
    }
    for (const request of this.dmRequests.values()) {
      request.messages = request.messages.filter((message) => message.id !== messageId);
    }
  }

  /** `room_state`: remembered for the room, shown if it is open. */
  setRoomState(roomId, locked, slowModeS) {
    const roomState = { locked: Boolean(locked), slowModeS: Math.max(0, Number(slowModeS) || 0) };
    this.roomStates.set(roomId, roomState);
    const conversation = this.get(roomKey(roomId));
    if (conversation) Object.assign(conversation, roomState);
  }

  isMe(nick) {
    return this.me !== null && sameNick(nick, this.me.nick);
  }

  /** Whether I sent `message`: a line of mine waiting, or an id this person sent. */
  isMine(message) {
    if (!message) return false;
    if (message.clientId !== undefined && message.clientId !== null) return true;
    return this.myIds.has(message.id) && this.isMe(message.from?.nick ?? "");
  }

  room(roomId) {
    return this.rooms.find((room) => room.id === roomId) ?? null;
  }

  setRooms(rooms) {
    this.rooms = Array.isArray(rooms) ? rooms.filter((room) => room && room.id) : [];
    for (const conversation of this.conversations.values()) {
      if (conversation.kind !== "room") continue;
      const room = this.room(conversation.id);
      if (room) conversation.title = room.name;
      if (typeof room?.topic === "string") conversation.topic = room.topic;
    }
  }

  get(key) {
    return this.conversations.get(key) ?? null;
  }

  get active() {
    return this.get(this.activeKey);
  }

  get membersRoom() {
    return this.get(this.membersKey);
  }

  /** The tab of a room, created if needed. */
  openRoom(room) {
    const key = roomKey(room.id);
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = new Conversation("room", room.id, room.name ?? room.id);
      this.conversations.set(key, conversation);
    } else if (room.name) {
      conversation.title = room.name;
    }
    if (typeof room.pictures === "boolean") conversation.pictures = room.pictures;
    const topic = typeof room.topic === "string" ? room.topic : this.room(room.id)?.topic;
    if (typeof topic === "string") conversation.topic = topic;
    // A room object may carry its moderation state; else what room_state last said.
    if (typeof room.locked === "boolean" || typeof room.slow_mode_s === "number") {
      this.setRoomState(room.id, room.locked, room.slow_mode_s);
    }
    Object.assign(conversation, this.roomStates.get(room.id) ?? {});
    const known = this.room(room.id);
    if (known && typeof room.members === "number") known.members = room.members;
    return conversation;
  }

  /** The private conversation with `user` (a user object), created if needed. */
  openDm(user) {
    const key = dmKey(user.nick);
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = new Conversation("dm", user.nick, user.nick);
      this.conversations.set(key, conversation);
    }
    conversation.peer = user;
    conversation.isPeerGone = false;
    return conversation;
  }

  close(key) {
    this.conversations.delete(key);
    if (this.membersKey === key) this.membersKey = null;
    if (this.activeKey === key) {
      const keys = [...this.conversations.keys()];
      this.activeKey = keys.length ? keys[keys.length - 1] : null;
      if (this.active && this.active.kind === "room") this.membersKey = this.activeKey;
    }
  }

  activate(key) {
    const conversation = this.get(key);
    if (!conversation) return null;
    this.activeKey = key;
    conversation.unread = 0;
    conversation.mentions = 0;
    if (conversation.kind === "room") this.membersKey = key;
    return conversation;
  }

  totalUnread() {
    let total = 0;
    for (const conversation of this.conversations.values()) total += conversation.unread;
    return total + this.dmRequests.size;
  }

  totalMentions() {
    let total = 0;
    for (const conversation of this.conversations.values()) total += conversation.mentions;
    return total;
  }

  isBlocked(nick) {
    return this.blocks.has(foldNick(nick));
  }

  setBlocks(nicks) {
    this.blocks = new Map((nicks ?? []).map((nick) => [foldNick(nick), nick]));
  }

  /** Someone joined or left a room: update its member list, its count and our private tab. */
  notePresence(roomId, user, state) {
    const conversation = this.get(roomKey(roomId));
    if (conversation) {
      const nick = foldNick(user.nick);
      if (state === "joined") conversation.members.set(nick, user);
      else conversation.members.delete(nick);
      const room = this.room(roomId);
      if (room) room.members = conversation.members.size;
    }
    const dm = this.get(dmKey(user.nick));
    if (dm && state === "joined") {
      dm.peer = user;
      dm.isPeerGone = false;
    }
  }
}
