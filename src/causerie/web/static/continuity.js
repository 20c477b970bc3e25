// Coming back as the same person (docs/protocol.md, "Coming back after a loss").
//
// What is kept, and where: the `session` and single-use `resume_token` of the last `welcome`,
// the profile, the open rooms, the newest private message id seen, the ids of my own messages
// and the unread counts — in sessionStorage (this tab: a reload comes back) and in
// localStorage (reopening the installed app within the server's grace). Never in a URL.
// "Quitter" forgets it all but the profile, which the join form shows again.
//
// On load with something kept, the page says `hello` with `resume` at once, without the form:
// the server gives the session back (nickname, rooms, conversations), rejoins the rooms with
// their recent history and sends the private messages again (`last_dm_id: 0`, everything it
// keeps). A refused resume (`resume_refused`: expired, spent) forgets the secret and says a
// plain `hello`; a nickname still taken then shows the form, filled in.
//
// "Mine" is this person's identity, not a nickname: a message is mine when this session (or
// the same person before a reload) sent it — its id was acknowledged here, or it arrived as my
// own private message (the server sends a person only their own). A newcomer who takes a
// former nickname sees the former owner's room messages as anyone's.

const KEPT_KEY = "causerie.session";
const PROFILE_KEY = "causerie.profile";
const MAX_KEPT_AGE_MS = 24 * 3600 * 1000; // past it the page shows the form (the server decides)
const MAX_IDS = 500;

function read(storage, key) {
  try {
    const text = storage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null; // storage refused (private mode) or unreadable: as if nothing was kept
  }
}

function write(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // Full or refused: this tab still works, a reload shows the form.
  }
}

/** The join form's last profile (kept after "Quitter"), or null. */
export function keptProfile() {
  const profile = read(localStorage, PROFILE_KEY);
  return profile && typeof profile.nick === "string" ? profile : null;
}

export class Continuity {
  token = null; // the `resume_token` of the last `welcome`
  lastDmId = null; // the newest private message id seen
  #reloaded = null; // what a reload found kept, until its resume is welcomed
  #replayUpTo = -1; // private messages up to this id were seen before the reload
  #unread = {}; // conversation key -> unread count kept over a reload

  constructor(app) {
    this.app = app;
    // Rooms opened and unread counts change without a message of mine: kept on leaving too.
    window.addEventListener("pagehide", () => this.save());
  }

  /** On load: come back as the kept person, without the form. Whether it did. */
  boot() {
    const kept = read(sessionStorage, KEPT_KEY) ?? read(localStorage, KEPT_KEY);
    const isFresh = kept && Date.now() - Number(kept.savedAt || 0) < MAX_KEPT_AGE_MS;
    if (!isFresh || !kept.profile || !kept.session || !kept.token) return false;
    const app = this.app;
    this.#reloaded = kept;
    this.token = kept.token;
    this.#replayUpTo = Number(kept.lastDmId ?? -1);
    this.lastDmId = kept.lastDmId ?? null;
    this.#unread = kept.unread ?? {};
    for (const id of kept.myIds ?? []) app.state.myIds.add(id);
    app.session = kept.session;
    app.profile = kept.profile;
    app.join.hide();
    app.link.start();
    return true;
  }

  /** The `resume` of a `hello`, or null for a first one. */
  resumeFields(isReconnect) {
    const app = this.app;
    if (!app.session || !this.token) return null;
    if (!isReconnect && this.#reloaded) {
      // A reload: the page has nothing, so every room's recent history and every kept
      // private message come back.
      return {
        session: app.session,
        resume_token: this.token,
        rooms: this.#reloaded.rooms ?? [],
        last_dm_id: 0,
      };
    }
    if (!isReconnect) return null;
    const rooms = [];
    let lastId = null;
    for (const conversation of app.state.conversations.values()) {
      if (conversation.kind !== "room") continue;
      rooms.push(conversation.id);
      const newest = conversation.newestId();
      if (newest !== null && (lastId === null || newest < lastId)) lastId = newest;
    }
    // One `last_id` serves every room: the oldest of the rooms' newest ids (no room has a
    // gap; a busier room sends some again, dropped by id).
    const fields = { session: app.session, resume_token: this.token, rooms };
    const since = lastId ?? app.lastMessageId;
    if (since !== null) fields.last_id = since;
    fields.last_dm_id = this.lastDmId ?? 0;
    return fields;
  }

  welcomed(frame) {
    this.token = frame.resume_token ?? null;
    write(localStorage, PROFILE_KEY, this.app.profile);
    this.save();
  }

  /**
   * A refused `hello`. `resume_refused`: the secret is dead; forget it and say a plain
   * `hello`. Returns whether it was handled here.
   */
  refused(frame) {
    if (frame.code !== "resume_refused") return false;
    this.forget();
    this.app.session = null;
    this.app.link.start();
    return true;
  }

  /** A private message was seen (sent or received). */
  noteDm(frame, isMine) {
    const id = Number(frame.id);
    if (Number.isFinite(id) && (this.lastDmId === null || id > this.lastDmId)) this.lastDmId = id;
    if (isMine) this.noteMine(id);
    else this.save();
  }

  noteMine(id) {
    if (id === undefined || id === null) return;
    const ids = this.app.state.myIds;
    ids.add(id);
    if (ids.size > MAX_IDS) ids.delete(ids.values().next().value);
    this.save(); // at once: a reload may follow (a few hundred bytes)
  }

  /** Whether a replayed private message had been seen before the reload (not unread). */
  wasSeen(id) {
    return this.#reloaded !== null && Number(id) <= this.#replayUpTo;
  }

  /** A conversation the reload opened again: its unread counts as they were. */
  restoreUnread(conversation) {
    const kept = this.#unread[conversation.key];
    if (kept === undefined) return;
    delete this.#unread[conversation.key];
    conversation.unread = Math.max(conversation.unread, kept.unread ?? 0);
    conversation.mentions = Math.max(conversation.mentions ?? 0, kept.mentions ?? 0);
  }

  save() {
    const app = this.app;
    if (!app.session || !this.token || !app.profile) return;
    const rooms = [];
    const unread = {};
    for (const conversation of app.state.conversations.values()) {
      if (conversation.kind === "room") rooms.push(conversation.id);
      if (conversation.unread || conversation.mentions) {
        unread[conversation.key] = {
          unread: conversation.unread,
          mentions: conversation.mentions ?? 0,
        };
      }
    }
    const kept = {
      profile: app.profile,
      session: app.session,
      token: this.token,
      rooms,
      lastDmId: this.lastDmId,
      myIds: [...app.state.myIds].slice(-MAX_IDS),
      unread,
      savedAt: Date.now(),
    };
    write(sessionStorage, KEPT_KEY, kept);
    write(localStorage, KEPT_KEY, kept);
  }

  /** "Quitter", or a secret the server refused: nothing to come back with. */
  forget() {
    this.token = null;
    this.lastDmId = null;
    this.#reloaded = null;
    write(sessionStorage, KEPT_KEY, null);
    write(localStorage, KEPT_KEY, null);
  }
}
