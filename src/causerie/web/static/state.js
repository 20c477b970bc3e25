// What the client knows: who I am, the rooms I may see, the open conversations with their
// messages and members, and my block list. No DOM and no socket here: app.js feeds it frames,
// the views read it and re-render.
//
// Own messages: a message I send is shown at once as pending (it has the request id but no
// message id). The server then sends two things in either order: the `message`/`dm` echo (with
// the final id) and the `ack {re, message_id}`. The echo gives the pending entry its id but it
// stays pending; the ack makes it normal. Ids dedupe everything else.

import { foldNick, sameNick } from "./people.js";

/** Messages kept per conversation; older ones can be fetched again with "Older". */
export const MAX_MESSAGES = 500;
/** The server sends this many messages of history on join; fewer means there are no more. */
export const HISTORY_PAGE = 50;

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

  constructor(kind, id, title) {
    this.kind = kind; // "room" | "dm"
    this.id = id; // room id, or the other person's nickname as the server spells it
    this.key = kind === "room" ? roomKey(id) : dmKey(id);
    this.title = title;
    this.messages = [];
    this.unread = 0;
    this.hasMore = false;
    this.loadingOlder = false;
    this.members = new Map(); // folded nick -> user object (rooms only)
    this.peer = null; // the other person's user object (private conversations only)
    this.isPeerGone = false;
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
  addPending(clientId, from, text) {
    // Until it has an id it sorts right after the newest message I could see when sending.
    const last = this.messages.findLast((entry) => hasId(entry));
    this.#pendingSeq += 1;
    this.messages.push({
      clientId,
      from,
      text,
      ts: Date.now(),
      pending: true,
      anchor: last ? last.id : 0,
      seq: this.#pendingSeq,
    });
  }

  /**
   * The server's echo of a message I sent: give the matching pending entry its final id
   * (it stays pending until the ack). Returns true if something changed.
   */
  settleEcho(message) {
    if (this.#ids.has(message.id)) return false;
    const pending = this.messages.find(
      (entry) =>
        entry.clientId &&
        !hasId(entry) &&
        !entry.failed &&
        entry.text.trim() === message.text.trim(),
    );
    if (!pending) return this.add(message);
    Object.assign(pending, { id: message.id, ts: message.ts, text: message.text });
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

  /** The server refused my request `clientId`: returns that message, or null if not here. */
  fail(clientId, reason) {
    const pending = this.messages.find((entry) => entry.clientId === clientId);
    if (!pending) return null;
    pending.pending = false;
    pending.failed = true;
    pending.error = reason;
    return pending;
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
  }

  isMe(nick) {
    return this.me !== null && sameNick(nick, this.me.nick);
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
    if (conversation.kind === "room") this.membersKey = key;
    return conversation;
  }

  totalUnread() {
    let total = 0;
    for (const conversation of this.conversations.values()) total += conversation.unread;
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
