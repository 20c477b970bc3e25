// The client's controller: turns the person's actions into protocol requests (docs/protocol.md)
// and the server's frames into state changes, then asks the views to render.
//
// Life of a session: the join form gives a profile -> open /ws -> `hello` -> `welcome` shows
// the chat. If the socket drops, the "Connexion perdue" banner offers to reconnect: a new
// socket (any server node), the same `hello` with `resume` (the previous session, the newest
// message id seen, the open rooms), and the server rejoins the rooms with what was missed.
//
// Safety (docs/protocol.md, "Reports, appeals, settings"): `report` from the menu button of a
// message, member or request; `dm_request` lands in "Demandes" until `accept`/`decline`;
// `notice` with a `statement_id` is a statement of reasons that can be appealed (`appeal`);
// `deleted` and `room_state` come from the moderators; `settings` sets who may write to me.

import { Connection, socketUrl } from "./connection.js";
import { loadGeo } from "./geo.js";
import { rememberSessionToken, setupMyData } from "./mydata.js";
import { precheck, rememberMediaToken, uploadPicture } from "./pictures.js";
import {
  formatDuration,
  formatTime,
  getLang,
  onLangChange,
  setLang,
  t,
  translatePage,
} from "./i18n.js";
import { foldNick, genderSymbol } from "./people.js";
import { ChatState, DM_POLICIES, HISTORY_PAGE, dmKey, roomIdOf, roomKey } from "./state.js";
import { byId } from "./dom.js";
import { AssuranceFlow } from "./views/assurance.js";
import { ConversationView } from "./views/conversation.js";
import { JoinView } from "./views/join.js";
import { MembersView } from "./views/members.js";
import { ConnectionBanner, NoticesView } from "./views/notices.js";
import { PanelSwitcher } from "./views/panels.js";
import { PicturePicker } from "./views/picker.js";
import { ReportDialog } from "./views/report.js";
import { RequestsView } from "./views/requests.js";
import { RoomsView } from "./views/rooms.js";
import { SettingsDialog } from "./views/settings.js";
import { StatementsView } from "./views/statements.js";

const ROOMS_REFRESH_MS = 15000;
const HELLO_TIMEOUT_MS = 15000;
const MAX_TRACKED_REQUESTS = 500;
const RETRYABLE = new Set(["rate_limited", "unavailable"]);
const CLOSE_TOO_MANY = 4005;
const RESTRICTIONS = new Set(["muted", "banned"]);

class App {
  state = new ChatState();
  connection = null;
  profile = null; // the `hello` fields, reused to reconnect
  session = null; // the `session` of the last `welcome`, for `resume`
  lastMessageId = null; // the newest room message id seen, for `resume`
  resumed = false; // whether the pending `hello` carries `resume` (the server rejoins rooms)
  isWelcomed = false; // a `welcome` arrived on the current connection
  closingReason = null; // a ban pushed just before the server closes the connection
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
      onReport: (target) => this.reportDialog.open(target),
      onDismissSafety: (key, seq) => {
        this.state.get(key)?.dismissSafetyNotice(seq);
        this.render();
      },
      onChanged: () => this.render(),
    });
    this.picker = new PicturePicker({ onPicture: (file) => this.sendPicture(file) });
    this.members = new MembersView({
      onOpenDm: (user) => this.openDm(user),
      onReport: (target) => this.reportDialog.open(target),
    });
    this.dmRequests = new RequestsView({
      onAccept: (nick) => this.answerRequest("accept", nick),
      onDecline: (nick) => this.answerRequest("decline", nick),
      onReport: (target) => this.reportDialog.open(target),
    });
    this.statements = new StatementsView({
      onAppealEdit: (id, isEditing) => this.editAppeal(id, isEditing),
      onAppealSend: (id, text) => this.sendAppeal(id, text),
      onDismiss: (id) => {
        this.state.dismissStatement(id);
        this.render();
      },
    });
    this.reportDialog = new ReportDialog({
      onSubmit: (target, fields) => this.sendReport(target, fields),
      onToggleBlock: (nick) => this.toggleBlockOf(nick),
      isBlocked: (nick) => this.state.isBlocked(nick),
      // A teen sees only the teen space: whoever they report is in it.
      offersSuspectedAdult: (target) => this.state.isTeen && !this.state.isMe(target.nick),
    });
    this.settingsDialog = new SettingsDialog({
      onPolicy: (policy) => this.request("settings", { dm_policy: policy }),
      onUnblock: (nick) => this.request("unblock", { nick }),
    });
    // Age assurance in the teen space (views/assurance.js): asked for when the welcome says so.
    this.assurance = new AssuranceFlow({
      send: (token) => this.request("assure_age", { token }),
      onAssured: (rooms) => {
        if (rooms) this.state.setRooms(rooms);
        this.render();
      },
    });
    this.notices = new NoticesView({
      onReport: (nick) => this.reportDialog.open({ nick, category: "child_safety" }),
    });
    this.banner = new ConnectionBanner({ onReconnect: () => this.reconnect() });
    this.panels = new PanelSwitcher({ onChange: () => this.panelChanged() });
    this.chatView = byId("chat-view");
    this.meLabel = byId("me");
    this.logoutButton = byId("logout");
    this.settingsButton = byId("settings-open");
    this.settingsButton.addEventListener("click", () => this.settingsDialog.open(this.state));
    setupMyData();

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

  onClose({ byClient, code }) {
    const wasWelcomed = this.isWelcomed;
    this.connection = null;
    this.isWelcomed = false;
    this.stopTimers();
    if (byClient) return;
    if (!wasWelcomed) {
      // 4005: too many connections from this address or device (docs/protocol.md).
      this.connectFailed({ key: code === CLOSE_TOO_MANY ? "join.too_many" : "join.unreachable" });
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
    this.banner.show(this.closingReason ? { message: this.closingReason } : null);
    this.closingReason = null;
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
    this.closingReason = null;
    this.banner.hide();
    this.notices.clear();
    this.reportDialog.close();
    this.settingsDialog.close();
    this.assurance.reset();
    this.statements.render(this.state);
    this.dmRequests.render(this.state);
    this.chatView.hidden = true;
    this.meLabel.hidden = true;
    this.logoutButton.hidden = true;
    this.settingsButton.hidden = true;
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
        return this.onBlocks(frame);
      case "notice":
        return this.onNotice(frame);
      case "reported":
        return this.onReported(frame);
      case "appealed":
        return this.onAppealed(frame);
      case "settings":
        return this.onSettings(frame);
      case "dm_request":
        return this.onDmRequest(frame);
      case "accepted":
        return this.onAccepted(frame);
      case "declined":
        this.takeRequest(frame.re);
        this.state.takeRequest(String(frame.nick ?? ""));
        return this.render();
      case "deleted":
        this.state.deleteMessage(roomIdOf(frame.room), frame.message_id);
        return this.render();
      case "room_state":
        this.state.setRoomState(roomIdOf(frame.room), frame.locked, frame.slow_mode_s);
        return this.render();
      case "age_assured":
        this.takeRequest(frame.re);
        return this.assurance.assured(frame);
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
    rememberSessionToken(frame.token);
    rememberMediaToken(frame.token);
    this.state.me = frame.user;
    this.state.setRooms(frame.rooms);
    this.join.hide();
    this.join.setBusy(false);
    this.banner.hide();
    this.chatView.hidden = false;
    this.logoutButton.hidden = false;
    this.settingsButton.hidden = false;
    this.renderMe();
    // A new session starts with the server's default; keep the person's choice.
    if (isReconnect && this.state.dmPolicy !== DM_POLICIES[0]) {
      this.request("settings", { dm_policy: this.state.dmPolicy });
    }
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
    this.assurance.welcome(frame.assurance); // a minor's: what age assurance gates
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
    } else if (conversation.unmask(message)) {
      // A message first shown masked (a request) now arrives in full: not a new one.
    } else if (conversation.add(message) && !this.isSeeing(conversation)) {
      conversation.unread += 1;
    }
    this.render();
  }

  onBlocks(frame) {
    this.takeRequest(frame.re);
    this.state.setBlocks(frame.nicks);
    // Blocking someone also drops their pending request: they are hidden both ways.
    for (const request of [...this.state.dmRequests.values()]) {
      if (this.state.isBlocked(request.from.nick)) this.state.takeRequest(request.from.nick);
    }
    this.reportDialog.relabel();
    this.settingsDialog.render(this.state);
    this.render();
  }

  /**
   * A statement of reasons (with `statement_id`) goes to its own panel; a safety notice about
   * a room (`room`) or a private conversation (`nick`) shows there; the rest above the chat.
   */
  onNotice(frame) {
    const text = String(frame.text ?? "");
    const statementId = frame.statement_id;
    if (frame.kind === "moderation" && statementId !== undefined && statementId !== null) {
      this.state.addStatement(statementId, text);
      this.render();
      return;
    }
    // A safety notice about someone (the grooming detector's): report them in one click.
    const about = typeof frame.about === "string" && frame.about ? frame.about : null;
    if (frame.kind === "safety") {
      const conversation = this.conversationOfNotice(frame);
      if (conversation) {
        conversation.addSafetyNotice(text, about);
        this.render();
        return;
      }
    }
    this.notices.add(frame.kind, text, about);
  }

  conversationOfNotice(frame) {
    if (frame.room) return this.state.get(roomKey(roomIdOf(frame.room)));
    const about = frame.about ?? frame.nick;
    const nick = about !== null && typeof about === "object" ? about.nick : about;
    if (typeof nick === "string" && nick && !this.state.isMe(nick)) {
      return this.state.get(dmKey(nick));
    }
    return null;
  }

  onReported(frame) {
    this.takeRequest(frame.re);
    if (!this.reportDialog.received(frame.re, frame.report_id)) {
      this.notices.add("info", t("report.done", { id: frame.report_id }));
    }
  }

  onAppealed(frame) {
    const meta = this.takeRequest(frame.re);
    const statement = this.state.statement(frame.statement_id ?? meta?.statementId);
    if (statement) Object.assign(statement, { appeal: "sent", error: null });
    this.render();
  }

  onSettings(frame) {
    this.takeRequest(frame.re);
    if (DM_POLICIES.includes(frame.dm_policy)) this.state.dmPolicy = frame.dm_policy;
    this.settingsDialog.saved(frame.re);
    this.settingsDialog.render(this.state);
  }

  /** A stranger's first private message(s), masked: to "Demandes" until answered. */
  onDmRequest(frame) {
    if (!frame.from || !frame.to) return;
    if (this.state.isMe(frame.from.nick)) {
      // My own message, as the other person sees it until they accept.
      this.onDm(frame);
      return;
    }
    if (this.state.isBlocked(frame.from.nick)) return;
    this.state.addRequest(frame);
    this.render();
  }

  onAccepted(frame) {
    const meta = this.takeRequest(frame.re);
    const nick = String(frame.nick ?? meta?.nick ?? "");
    if (!nick) return;
    const conversation = this.state.acceptRequest(nick);
    this.select(conversation.key);
  }

  onError(frame) {
    if (!this.isWelcomed) {
      // Before `welcome` the only request in flight is our `hello`.
      this.onHelloRefused(frame);
      return;
    }
    const meta = this.takeRequest(frame.re);
    if (meta?.type === "assure_age") return this.assurance.refused(frame);
    if (frame.reason === "age_assurance_needed") this.assurance.open();
    const shown =
      explainRefusal(frame, meta) ??
      (frame.message
        ? { message: String(frame.message), retryAfter: frame.retry_after }
        : { key: `error.${frame.code}`, retryAfter: frame.retry_after });
    const text = shown.message ?? t(shown.key, shown.vars);
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
      case "report":
        if (!this.reportDialog.refused(frame.re, shown)) this.notices.add("error", text);
        break;
      case "appeal": {
        const statement = this.state.statement(meta.statementId);
        if (statement) Object.assign(statement, { appeal: "editing", error: text });
        else this.notices.add("error", text);
        break;
      }
      case "settings":
        if (!this.settingsDialog.refused(frame.re, shown)) this.notices.add("error", text);
        this.settingsDialog.render(this.state);
        break;
      case "accept":
      case "decline": {
        const request = this.state.request(meta.nick);
        if (request) request.answering = false;
        this.notices.add("error", text);
        break;
      }
      default:
        // A restriction pushed by the moderators (a ban closing the connection) is theirs.
        this.notices.add(RESTRICTIONS.has(frame.code) ? "moderation" : "error", text);
        // A ban, or a move out of the teen space, closes the connection just after.
        if (frame.code === "banned" || frame.reason === "move_out_of_teen_space") {
          this.closingReason = text;
        }
    }
    this.render();
  }

  /** A `say` or `dm` was refused: mark the line "not sent", maybe give its text back. */
  onSendRefused(frame, meta, conversation, text) {
    if (!conversation) return;
    if (frame.code === "held_for_review") {
      // Not refused: waiting for a moderator, who may still publish it.
      conversation.hold(frame.re);
      return;
    }
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
    else this.notices.add("error", shown.message ?? t(shown.key, shown.vars));
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

  /** Check, upload, then send a picture to the active conversation (its progress shown). */
  async sendPicture(file) {
    const conversation = this.state.active;
    if (!conversation) return;
    const refused = precheck(file);
    if (refused) {
      this.conversation.setError(refused);
      return;
    }
    this.conversation.setError(null);
    this.picker.showProgress(0);
    let media;
    try {
      media = await uploadPicture(file, (fraction) => this.picker.showProgress(fraction));
    } catch (error) {
      this.showConversationError(conversation.key, error);
      return;
    } finally {
      this.picker.showProgress(null);
    }
    const isRoom = conversation.kind === "room";
    const fields = { text: "", media: media.id };
    const meta = { key: conversation.key };
    const id = isRoom
      ? this.request("say", { room: conversation.id, ...fields }, meta)
      : this.request("dm", { to: conversation.id, ...fields }, meta);
    if (id === null) {
      this.showConversationError(conversation.key, { key: "chat.offline" });
      return;
    }
    conversation.addPending(id, this.state.me, "", media);
    this.render();
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
    this.toggleBlockOf(conversation.id);
  }

  toggleBlockOf(nick) {
    this.request(this.state.isBlocked(nick) ? "unblock" : "block", { nick });
  }

  /** Send the report dialog's form: a message (by id) or a person (by nickname). */
  sendReport(target, fields) {
    const body = { category: fields.category, good_faith: fields.good_faith };
    if (target.message) body.message_id = target.message.id;
    else body.nick = target.nick;
    if (fields.comment) body.comment = fields.comment;
    if (fields.contact) body.contact = fields.contact;
    if (fields.reason) body.reason = fields.reason;
    return this.request("report", body);
  }

  /** Accept or decline the message request from `nick`. */
  answerRequest(type, nick) {
    const request = this.state.request(nick);
    if (this.request(type, { nick }, { nick }) === null) {
      this.notices.add("error", t("chat.offline"));
      return;
    }
    if (request) request.answering = true;
    this.render();
  }

  editAppeal(id, isEditing) {
    const statement = this.state.statement(id);
    if (!statement || statement.appeal === "sending" || statement.appeal === "sent") return;
    statement.appeal = isEditing ? "editing" : null;
    statement.error = null;
    this.render();
  }

  sendAppeal(id, text) {
    const statement = this.state.statement(id);
    if (!statement || statement.appeal === "sending" || statement.appeal === "sent") return;
    if (!text) {
      statement.error = t("statement.appeal.empty");
    } else if (!this.isOnline) {
      this.appealBeforeHello(statement, id, text);
      return;
    } else if (this.request("appeal", { statement_id: id, text }, { statementId: id }) === null) {
      statement.error = t("chat.offline");
    } else {
      statement.appeal = "sending";
      statement.error = null;
    }
    this.render();
  }

  /**
   * Appeal while no session is open (a move out of the teen space ended it, and this device may
   * no longer enter as a teen): on a socket of its own, before any hello. The server accepts it
   * from the device the decision bars (docs/protocol.md, "Appeals").
   */
  async appealBeforeHello(statement, id, text) {
    Object.assign(statement, { appeal: "sending", error: null });
    this.render();
    const connection = new Connection(socketUrl());
    let requestId = null;
    const answer = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), HELLO_TIMEOUT_MS);
      connection.addEventListener("frame", (event) => {
        if (requestId === null || event.detail.re !== requestId) return;
        clearTimeout(timer);
        resolve(event.detail);
      });
      connection.addEventListener("close", () => resolve(null));
    });
    try {
      await connection.open();
      requestId = connection.send("appeal", { statement_id: id, text });
    } catch {
      requestId = null;
    }
    const frame = requestId === null ? null : await answer;
    connection.close();
    if (frame?.type === "appealed") Object.assign(statement, { appeal: "sent", error: null });
    else {
      const error = frame?.message ? String(frame.message) : t("chat.offline");
      Object.assign(statement, { appeal: "editing", error });
    }
    this.render();
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
    this.statements.render(this.state);
    this.dmRequests.render(this.state);
    this.rooms.render(this.state);
    this.conversation.render(this.state, {
      isOnline: this.isOnline,
      isDmGated: this.assurance.blocksDm,
      ...options,
    });
    const active = this.state.active;
    const isForbiddenHere = active?.kind === "room" && active.pictures === false;
    this.picker.setEnabled(
      Boolean(active) && this.conversation.canWrite && !isForbiddenHere,
      isForbiddenHere ? "picture.not_here" : "chat.offline",
    );
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
    this.reportDialog.relabel();
    this.settingsDialog.relabel();
    this.render();
  }

  markLangButtons() {
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === getLang()));
    }
  }
}

/**
 * Our own words for the refusals a person must understand (moderation, a refused private
 * message), with the end of a restriction when the server gives it; null for the others.
 */
function explainRefusal(frame, meta) {
  const retryAfter = Number(frame.retry_after) > 0 ? Number(frame.retry_after) : 0;
  switch (frame.code) {
    case "muted":
    case "banned": {
      const key = `restriction.${frame.code}`;
      if (!retryAfter) return { key, sticky: true };
      const vars = {
        duration: formatDuration(retryAfter),
        time: formatTime(Date.now() + retryAfter * 1000),
      };
      return { key: `${key}.until`, vars, retryAfter, hasDelay: true, sticky: true };
    }
    case "held_for_review":
      return { key: "restriction.held", sticky: true };
    case "dm_blocked":
      return meta?.type === "dm" ? { key: "dm.not_accepted" } : null;
    default:
      return null;
  }
}

/** The message object kept in a conversation, from a `message` or `dm` frame. */
function messageOf(frame) {
  const message = { id: frame.id, from: frame.from, text: String(frame.text ?? ""), ts: frame.ts };
  if (frame.media && typeof frame.media.id === "string") message.media = frame.media;
  return message;
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
