// The client's controller: turns the person's actions into protocol requests (docs/protocol.md)
// and the server's frames into state changes, then asks the views to render.
//
// Life of a session: the join form gives a profile -> open /ws -> `hello` -> `welcome` shows
// the chat. If the socket drops, the "Connexion perdue" banner offers to reconnect: a new
// socket (any server node), the same `hello` with `resume` (the previous session, the newest
// message id seen, the open rooms), and the server rejoins the rooms with what was missed.

import { Connection, socketUrl } from "./connection.js";
import { loadGeo } from "./geo.js";
import { getLang, onLangChange, setLang, t, translatePage } from "./i18n.js";
import { foldNick, genderSymbol } from "./people.js";
import { ChatState, HISTORY_PAGE, roomIdOf, roomKey } from "./state.js";
import { byId } from "./dom.js";
import { ConversationView } from "./views/conversation.js";
import { JoinView } from "./views/join.js";
import { MembersView } from "./views/members.js";
import { ConnectionBanner, NoticesView } from "./views/notices.js";
import { PanelSwitcher } from "./views/panels.js";
import { RoomsView } from "./views/rooms.js";

const ROOMS_REFRESH_MS = 15000;
const HELLO_TIMEOUT_MS = 15000;
const MAX_TRACKED_REQUESTS = 500;
const RETRYABLE = new Set(["rate_limited", "unavailable"]);

class App {
  state = new ChatState();
  connection = null;
  profile = null; // the `hello` fields, reused to reconnect
  session = null; // the `session` of the last `welcome`, for `resume`
  lastMessageId = null; // the newest room message id seen, for `resume`
  resumed = false; // whether the pending `hello` carries `resume` (the server rejoins rooms)
  isWelcomed = false; // a `welcome` arrived on the current connection
  requests = new Map(); // request id -> {type, key?, activate?}
  roomsTimer = null;
  helloTimer = null;

  constructor() {
    this.join = new JoinView({ onSubmit: (profile) => this.connect(profile) });
    this.rooms = new RoomsView({
      onOpenRoom: (room) => this.openRoom(room),
      onSelect: (key) => this.select(key),
      onClose: (key) => this.closeTab(key),
    });
    this.conversation = new ConversationView({
      onSend: (text) => this.send(text),
      onOlder: () => this.loadOlder(),
      onLeave: () => this.state.activeKey && this.closeTab(this.state.activeKey),
      onToggleBlock: () => this.toggleBlock(),
    });
    this.members = new MembersView({ onOpenDm: (user) => this.openDm(user) });
    this.notices = new NoticesView();
    this.banner = new ConnectionBanner({ onReconnect: () => this.reconnect() });
    this.panels = new PanelSwitcher({ onChange: () => this.panelChanged() });
    this.chatView = byId("chat-view");
    this.meLabel = byId("me");
    this.logoutButton = byId("logout");

    for (const button of document.querySelectorAll("[data-lang]")) {
      button.addEventListener("click", () => setLang(button.dataset.lang));
    }
    onLangChange(() => this.relabel());
    this.logoutButton.addEventListener("click", () => this.logout());
    document.addEventListener("visibilitychange", () => this.panelChanged());

    translatePage(document);
    this.markLangButtons();
    this.join.focus();
  }

  get isOnline() {
    return this.isWelcomed && this.connection !== null && this.connection.isOpen;
  }

  // ---- connection -------------------------------------------------------------------------

  async connect(profile, { isReconnect = false } = {}) {
    this.profile = profile;
    if (isReconnect) this.banner.setBusy(true);
    else this.join.setBusy(true);
    const connection = new Connection(socketUrl());
    this.connection = connection;
    this.isWelcomed = false;
    connection.addEventListener("frame", (event) => {
      if (this.connection === connection) this.onFrame(event.detail);
    });
    connection.addEventListener("close", (event) => {
      if (this.connection === connection) this.onClose(event.detail);
    });
    try {
      await connection.open();
    } catch {
      return; // The close event reports it.
    }
    if (this.connection !== connection) return;
    const hello = { ...profile, lang: getLang() };
    if (isReconnect && this.session) hello.resume = this.resumeState();
    this.resumed = Boolean(hello.resume);
    connection.send("hello", hello);
    clearTimeout(this.helloTimer);
    this.helloTimer = setTimeout(() => {
      if (this.connection !== connection || this.isWelcomed) return;
      this.connection = null;
      connection.close();
      this.connectFailed({ key: "join.timeout" });
    }, HELLO_TIMEOUT_MS);
  }

  /** What the server needs to hand back the nickname and the missed messages. */
  resumeState() {
    const rooms = [...this.state.conversations.values()]
      .filter((conversation) => conversation.kind === "room")
      .map((conversation) => conversation.id);
    const state = { session: this.session, rooms };
    if (this.lastMessageId !== null) state.last_id = this.lastMessageId;
    return state;
  }

  /** Remember the newest room message id seen, for `resume`. */
  noteSeen(id) {
    if (Number.isSafeInteger(id) && (this.lastMessageId === null || id > this.lastMessageId)) {
      this.lastMessageId = id;
    }
  }

  reconnect() {
    if (this.profile) this.connect(this.profile, { isReconnect: true });
  }

  /** The socket could not be opened or the server did not welcome us. */
  connectFailed(detail) {
    clearTimeout(this.helloTimer);
    if (this.state.me) {
      this.banner.show({ message: t("conn.failed", { reason: detail.message ?? t(detail.key) }) });
    } else {
      this.join.setBusy(false);
      this.join.showFormError(detail);
    }
  }

  onClose({ byClient }) {
    const wasWelcomed = this.isWelcomed;
    this.connection = null;
    this.isWelcomed = false;
    this.stopTimers();
    if (byClient) return;
    if (!wasWelcomed) {
      this.connectFailed({ key: "join.unreachable" });
      return;
    }
    // Unconfirmed lines: delivered if the server echoed them (they have an id), else lost.
    for (const conversation of this.state.conversations.values()) {
      for (const message of conversation.messages.filter((entry) => entry.pending)) {
        if (message.id !== undefined && message.id !== null) message.pending = false;
        else conversation.fail(message.clientId, t("chat.offline"));
      }
    }
    this.requests.clear();
    this.banner.show();
    this.render();
  }

  logout() {
    const connection = this.connection;
    this.connection = null;
    this.isWelcomed = false;
    connection?.close();
    this.stopTimers();
    this.state.reset();
    this.requests.clear();
    this.profile = null;
    this.session = null;
    this.lastMessageId = null;
    this.banner.hide();
    this.notices.clear();
    this.chatView.hidden = true;
    this.meLabel.hidden = true;
    this.logoutButton.hidden = true;
    this.join.show();
    this.join.focus();
  }

  stopTimers() {
    clearInterval(this.roomsTimer);
    clearTimeout(this.helloTimer);
    this.roomsTimer = null;
  }

  /** Send a request and remember what it was about, so its reply or error finds its place. */
  request(type, fields, meta = {}) {
    if (!this.isOnline) return null;
    const id = this.connection.send(type, fields);
    if (id === null) return null;
    this.requests.set(id, { type, ...meta });
    if (this.requests.size > MAX_TRACKED_REQUESTS) {
      this.requests.delete(this.requests.keys().next().value);
    }
    return id;
  }

  // ---- frames from the server -------------------------------------------------------------

  onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        return this.onWelcome(frame);
      case "rooms":
        this.takeRequest(frame.re);
        this.state.setRooms(frame.rooms);
        return this.render();
      case "joined":
        return this.onJoined(frame);
      case "parted":
        this.takeRequest(frame.re);
        this.state.close(roomKey(roomIdOf(frame.room)));
        return this.render();
      case "presence":
        this.state.notePresence(roomIdOf(frame.room), frame.user, frame.state);
        return this.render();
      case "message":
        return this.onMessage(frame);
      case "ack":
        return this.onAck(frame);
      case "history":
        return this.onHistory(frame);
      case "dm":
        return this.onDm(frame);
      case "blocks":
        this.requests.delete(frame.re);
        this.state.setBlocks(frame.nicks);
        return this.render();
      case "notice":
        return this.notices.add(frame.kind, String(frame.text ?? ""));
      case "error":
        return this.onError(frame);
      default:
        return undefined; // pong, and types a newer server may add.
    }
  }

  onWelcome(frame) {
    clearTimeout(this.helloTimer);
    const isReconnect = this.state.me !== null;
    this.isWelcomed = true;
    this.session = frame.session;
    this.state.me = frame.user;
    this.state.setRooms(frame.rooms);
    this.join.hide();
    this.join.setBusy(false);
    this.banner.hide();
    this.chatView.hidden = false;
    this.logoutButton.hidden = false;
    this.renderMe();
    this.roomsTimer = setInterval(() => this.request("rooms", {}), ROOMS_REFRESH_MS);
    if (isReconnect && !this.resumed) {
      for (const conversation of this.state.conversations.values()) {
        if (conversation.kind === "room") this.request("join", { room: conversation.id });
      }
    } else {
      this.panels.show("rooms");
      loadGeo()
        .then((geo) => this.members.setGeo(geo))
        .catch(() => {}); // Without geo data the région/département filters stay empty.
    }
    this.render();
  }

  onJoined(frame) {
    const meta = this.takeRequest(frame.re);
    const roomId = roomIdOf(frame.room);
    const room =
      frame.room !== null && typeof frame.room === "object"
        ? frame.room
        : (this.state.room(roomId) ?? { id: roomId, name: roomId });
    const conversation = this.state.openRoom(room);
    const members = Array.isArray(frame.members) ? frame.members : [];
    conversation.members = new Map(members.map((user) => [foldNick(user.nick), user]));
    const known = this.state.room(roomId);
    if (known) known.members = members.length;
    const history = Array.isArray(frame.history) ? frame.history : [];
    for (const message of history) this.noteSeen(message.id);
    conversation.addMany(history);
    conversation.hasMore = conversation.hasMore || history.length >= HISTORY_PAGE;
    if (meta?.activate || !this.state.activeKey) this.activate(conversation.key);
    this.render();
  }

  onMessage(frame) {
    const conversation = this.state.get(roomKey(roomIdOf(frame.room)));
    if (!conversation || !frame.from) return;
    const message = messageOf(frame);
    this.noteSeen(frame.id);
    if (this.state.isMe(frame.from.nick)) {
      conversation.settleEcho(message);
    } else if (conversation.add(message) && !this.isSeeing(conversation)) {
      if (!this.state.isBlocked(frame.from.nick)) conversation.unread += 1;
    }
    this.render();
  }

  onAck(frame) {
    const meta = this.takeRequest(frame.re);
    const candidates = meta?.key
      ? [this.state.get(meta.key)]
      : [...this.state.conversations.values()];
    for (const conversation of candidates) {
      if (conversation?.acknowledge(frame.re, frame.message_id, frame.ts)) break;
    }
    this.render();
  }

  onHistory(frame) {
    this.takeRequest(frame.re);
    const conversation = this.state.get(roomKey(roomIdOf(frame.room)));
    if (!conversation) return;
    conversation.addMany(Array.isArray(frame.messages) ? frame.messages : []);
    conversation.hasMore = Boolean(frame.more);
    conversation.loadingOlder = false;
    this.render({ keepOffsetFromBottom: true });
  }

  onDm(frame) {
    if (!frame.from || !frame.to) return;
    const isMine = this.state.isMe(frame.from.nick);
    const conversation = this.state.openDm(isMine ? frame.to : frame.from);
    const message = messageOf(frame);
    if (isMine) {
      conversation.settleEcho(message);
    } else if (conversation.add(message) && !this.isSeeing(conversation)) {
      conversation.unread += 1;
    }
    this.render();
  }

  onError(frame) {
    if (!this.isWelcomed) {
      // Before `welcome` the only request in flight is our `hello`.
      this.onHelloRefused(frame);
      return;
    }
    const meta = this.takeRequest(frame.re);
    const shown = frame.message
      ? { message: String(frame.message), retryAfter: frame.retry_after }
      : { key: `error.${frame.code}`, retryAfter: frame.retry_after };
    const text = shown.message ?? t(shown.key);
    const conversation = meta?.key ? this.state.get(meta.key) : null;
    switch (meta?.type) {
      case "say":
      case "dm":
        this.onSendRefused(frame, meta, conversation, text);
        this.showConversationError(meta.key, shown);
        break;
      case "history":
        if (conversation) conversation.loadingOlder = false;
        this.showConversationError(meta.key, shown);
        break;
      case "block":
      case "unblock":
        this.showConversationError(this.state.activeKey, shown);
        break;
      default:
        this.notices.add("error", text);
    }
    this.render();
  }

  /** A `say` or `dm` was refused: mark the line "not sent", maybe give its text back. */
  onSendRefused(frame, meta, conversation, text) {
    if (!conversation) return;
    const failed = conversation.fail(frame.re, text);
    // A refusal that passes by itself (too fast, service busy): offer the text again.
    if (failed && RETRYABLE.has(frame.code) && meta.key === this.state.activeKey) {
      this.conversation.restoreDraft(failed.text);
    }
    if (meta.type === "dm" && frame.code === "not_found") conversation.isPeerGone = true;
  }

  /** The server refused our `hello`: explain beside the field, and close this socket. */
  onHelloRefused(frame) {
    clearTimeout(this.helloTimer);
    const connection = this.connection;
    this.connection = null;
    connection?.close();
    if (this.state.me) {
      this.banner.show({ message: t("conn.failed", { reason: frame.message || frame.code }) });
    } else {
      this.join.setBusy(false);
      this.join.showServerError(frame);
    }
  }

  showConversationError(key, shown) {
    if (key && key === this.state.activeKey) this.conversation.setError(shown);
    else this.notices.add("error", shown.message ?? t(shown.key));
  }

  takeRequest(id) {
    if (id === undefined || id === null) return null;
    const meta = this.requests.get(id) ?? null;
    this.requests.delete(id);
    return meta;
  }

  // ---- the person's actions ---------------------------------------------------------------

  openRoom(room) {
    const key = roomKey(room.id);
    if (this.state.get(key)) {
      this.select(key);
      return;
    }
    this.request("join", { room: room.id }, { activate: true });
  }

  select(key) {
    this.activate(key);
    this.render();
    if (!this.panels.isPhone) this.conversation.focusInput();
  }

  activate(key) {
    if (!this.state.activate(key)) return;
    this.panels.show("conversation");
  }

  closeTab(key) {
    const conversation = this.state.get(key);
    if (!conversation) return;
    if (conversation.kind === "room") this.request("part", { room: conversation.id });
    this.state.close(key);
    this.render();
  }

  openDm(user) {
    if (this.state.isMe(user.nick)) return;
    const conversation = this.state.openDm(user);
    this.select(conversation.key);
  }

  /** Send the composer's text to the active conversation; true if it went out. */
  send(text) {
    const conversation = this.state.active;
    const trimmed = text.trim();
    if (!conversation || !trimmed) return false;
    const isRoom = conversation.kind === "room";
    const id = isRoom
      ? this.request("say", { room: conversation.id, text: trimmed }, { key: conversation.key })
      : this.request("dm", { to: conversation.id, text: trimmed }, { key: conversation.key });
    if (id === null) {
      this.conversation.setError({ key: "chat.offline" });
      return false;
    }
    conversation.addPending(id, this.state.me, trimmed);
    this.render();
    return true;
  }

  loadOlder() {
    const conversation = this.state.active;
    if (!conversation || conversation.kind !== "room" || conversation.loadingOlder) return;
    const before = conversation.oldestId();
    if (before === null) return;
    const fields = { room: conversation.id, before };
    const id = this.request("history", fields, { key: conversation.key });
    if (id === null) return;
    conversation.loadingOlder = true;
    this.render();
  }

  toggleBlock() {
    const conversation = this.state.active;
    if (!conversation || conversation.kind !== "dm") return;
    const nick = conversation.id;
    this.request(this.state.isBlocked(nick) ? "unblock" : "block", { nick });
  }

  // ---- rendering --------------------------------------------------------------------------

  /** Whether the person can see new messages of `conversation` right now. */
  isSeeing(conversation) {
    return (
      this.state.activeKey === conversation.key &&
      this.panels.isVisible("conversation") &&
      document.visibilityState === "visible"
    );
  }

  panelChanged() {
    const active = this.state.active;
    if (active && this.isSeeing(active) && active.unread) {
      active.unread = 0;
      this.render();
    }
  }

  render(options = {}) {
    if (!this.state.me) return;
    this.rooms.render(this.state);
    this.conversation.render(this.state, { isOnline: this.isOnline, ...options });
    this.members.render(this.state);
    const unread = this.state.totalUnread();
    const navBadge = byId("nav-unread");
    navBadge.hidden = unread === 0;
    navBadge.textContent = unread > 99 ? "99+" : String(unread);
    document.title = unread ? `(${unread}) Causerie` : "Causerie";
  }

  renderMe() {
    const me = this.state.me;
    if (!me) return;
    this.meLabel.hidden = false;
    this.meLabel.textContent = [me.nick, genderSymbol(me.gender), me.age, me.dept]
      .filter((part) => part !== undefined && part !== null && part !== "")
      .join(" · ");
  }

  relabel() {
    this.markLangButtons();
    this.join.relabel();
    this.banner.relabel();
    this.members.relabel();
    this.render();
  }

  markLangButtons() {
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === getLang()));
    }
  }
}

/** The message object kept in a conversation, from a `message` or `dm` frame. */
function messageOf(frame) {
  return { id: frame.id, from: frame.from, text: String(frame.text ?? ""), ts: frame.ts };
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // The app works without it; it only adds offline start and installability.
    });
  });
}

new App();
registerServiceWorker();
