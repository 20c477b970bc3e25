// The client's controller: turns the person's actions into protocol requests (docs/protocol.md)
// and the server's frames into state changes, then asks the views to render.
//
// Life of a session: the join form gives a profile -> the link (link.js) opens /ws, sends
// `hello`, and the `welcome` shows the chat. A lost connection comes back by itself (backoff
// with jitter, at once when the network returns): the same `hello` with `resume` (the
// previous session, the open rooms, the last message id seen), and the server rejoins the
// rooms with what was missed; what the person wrote meanwhile waits in the outbox and leaves
// then (outbox.js). What arrives in conversations is merged by inbox.js.
//
// Safety (docs/protocol.md, "Reports, appeals, settings"): `report` from the menu button of a
// message, member or request, or from a person's card; `dm_request` lands in "Demandes"
// until `accept`/`decline`; `notice` with a `statement_id` is a statement of reasons that can
// be appealed (`appeal`); `deleted` comes from the moderators or the message's author
// (message-actions.js, with replies and typing), `room_state` from the moderators; `settings`
// sets who may write to me.

import "./chat-texts.js";
import { Attention } from "./attention.js";
import { Continuity, keptProfile } from "./continuity.js";
import { byId } from "./dom.js";
import { loadGeo } from "./geo.js";
import { Games } from "./games.js";
import { getLang, onLangChange, setLang, t, translatePage } from "./i18n.js";
import { Inbox } from "./inbox.js";
import { Link } from "./link.js";
import { MemberRooms } from "./member-rooms.js";
import { MessageActions } from "./message-actions.js";
import { rememberSessionToken, setupMyData } from "./mydata.js";
import { Outbox } from "./outbox.js";
import { genderSymbol } from "./people.js";
import { precheck, rememberMediaToken, uploadPicture } from "./pictures.js";
import { RefusalFlow } from "./refusals.js";
import { onRoomChange } from "./room-changes.js";
import { SafetyFlow } from "./safety-flow.js";
import { ChatState, DM_POLICIES, roomIdOf, roomKey } from "./state.js";
import { AssuranceFlow } from "./views/assurance.js";
import { ConversationView } from "./views/conversation.js";
import { JoinView } from "./views/join.js";
import { MembersView } from "./views/members.js";
import { ConnectionBanner, NoticesView } from "./views/notices.js";
import { PanelSwitcher } from "./views/panels.js";
import { PicturePicker } from "./views/picker.js";
import { ProfileCard } from "./views/profile.js";
import { ReportDialog } from "./views/report.js";
import { RequestsView } from "./views/requests.js";
import { RoomsView } from "./views/rooms.js";
import { SettingsDialog } from "./views/settings.js";
import { StatementsView } from "./views/statements.js";

const ROOMS_REFRESH_MS = 15000;
const MAX_TRACKED_REQUESTS = 500;
// Close codes that end the session on purpose (docs/protocol.md, "Limits and closing").
const CLOSE_TAKEN_OVER = 4002;
// A touch screen opens its keyboard when a field takes the focus: not unasked there.
const TOUCH_QUERY = "(pointer: coarse)";

class App {
  state = new ChatState();
  continuity = new Continuity(this); // the resume secret, kept over a reload (continuity.js)
  profile = null; // the `hello` fields, reused to reconnect
  session = null; // the `session` of the last `welcome`, for `resume`
  lastMessageId = null; // the newest message id seen, for `resume`
  resumed = false; // whether the pending `hello` carries `resume` (the server rejoins rooms)
  closingReason = null; // a ban pushed just before the server closes the connection
  requests = new Map(); // request id -> {type, key?, activate?}
  roomsTimer = null;
  waitTimer = null; // re-renders the countdown of a new private conversation's wait

  constructor() {
    this.join = new JoinView({ onSubmit: (profile) => this.connect(profile) });
    this.rooms = new RoomsView({
      onOpenRoom: (room) => this.openRoom(room),
      onSelect: (key) => this.select(key),
      onClose: (key) => this.closeTab(key),
    });
    this.actions = new MessageActions(this); // replies, deletion, typing
    this.memberRooms = new MemberRooms(this); // rooms people make
    this.games = new Games(this); // games' drawings, leaderboard, duels (games.js)
    this.conversation = new ConversationView({
      onSend: (text) => this.send(text),
      onOlder: () => this.inbox.loadOlder(),
      onLeave: () => this.state.activeKey && this.closeTab(this.state.activeKey),
      onToggleBlock: () => this.toggleBlock(),
      onReport: (target) => this.reportDialog.open(target),
      onDismissSafety: (key, seq) => {
        this.state.get(key)?.dismissSafetyNotice(seq);
        this.render();
      },
      onChanged: () => this.render(),
      onRetry: (entry) => {
        const conversation = this.state.active;
        if (conversation) this.outbox.retry(conversation, entry);
        this.render();
      },
      onOpenProfile: (user, trigger) => this.profileCard.open(user, trigger, this.state),
      members: () => this.mentionCandidates(),
      gameLook: (conversation, message) => this.games.lookOf(conversation, message),
      ...this.actions.viewHandlers(),
    });
    this.picker = new PicturePicker({ onPicture: (file) => this.sendPicture(file) });
    this.profileCard = new ProfileCard({
      onOpenDm: (user) => this.openDm(user),
      onToggleBlock: (nick) => this.toggleBlockOf(nick),
      onReport: (target) => this.reportDialog.open(target),
      extraActions: (user) => [this.memberRooms.inviteAction(user), this.games.playAction(user)],
    });
    this.members = new MembersView({
      onOpenDm: (user) => this.openDm(user),
      onReport: (target) => this.reportDialog.open(target),
      onOpenProfile: (user, trigger) => this.profileCard.open(user, trigger, this.state),
      onToggleBlock: (nick) => this.toggleBlockOf(nick),
      extraActions: (user) => this.games.playAction(user, { isExpanded: true }), // "Jouer à…"
    });
    this.dmRequests = new RequestsView({
      onAccept: (nick) => this.safety.answerRequest("accept", nick),
      onDecline: (nick) => this.safety.answerRequest("decline", nick),
      onReport: (target) => this.reportDialog.open(target),
    });
    this.statements = new StatementsView({
      onAppealEdit: (id, isEditing) => this.safety.editAppeal(id, isEditing),
      onAppealSend: (id, text) => this.safety.sendAppeal(id, text),
      onDismiss: (id) => {
        this.state.dismissStatement(id);
        this.render();
      },
    });
    this.reportDialog = new ReportDialog({
      onSubmit: (target, fields) => this.safety.sendReport(target, fields),
      onToggleBlock: (nick) => this.toggleBlockOf(nick),
      isBlocked: (nick) => this.state.isBlocked(nick),
      // A teen sees only the teen space: whoever they report is in it.
      offersSuspectedAdult: (target) => this.state.isTeen && !this.state.isMe(target.nick),
    });
    this.attention = new Attention({ onOpen: (key) => this.openFromAlert(key) });
    this.settingsDialog = new SettingsDialog({
      onPolicy: (policy) => this.request("settings", { dm_policy: policy }),
      onUnblock: (nick) => this.request("unblock", { nick }),
      attention: this.attention,
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
    this.banner = new ConnectionBanner({ onReconnect: () => this.link.reconnectNow() });
    this.link = new Link(this.banner, {
      hello: (isReconnect) => this.helloFields(isReconnect),
      onFrame: (frame) => this.onFrame(frame),
      onHelloRefused: (frame) => this.onHelloRefused(frame),
      onFirstFailure: (detail) => {
        this.join.show();
        this.join.showFormError(detail);
      },
      onLost: (code) => this.onLost(code),
    });
    this.outbox = new Outbox({
      state: this.state,
      request: (type, fields, meta) => this.request(type, fields, meta),
      onChange: () => this.render(),
    });
    this.inbox = new Inbox(this);
    this.safety = new SafetyFlow(this);
    this.refusals = new RefusalFlow(this);
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
    window.addEventListener("focus", () => this.panelChanged());

    translatePage(document);
    this.markLangButtons();
    this.join.focus();
  }

  get isOnline() {
    return this.link.isOnline;
  }

  // ---- connection -------------------------------------------------------------------------

  connect(profile) {
    this.profile = profile;
    this.join.setBusy(true);
    this.link.start();
  }

  /** The `hello` of a new connection: the profile, and after a loss what to resume. */
  helloFields(isReconnect) {
    const hello = { ...this.profile, lang: getLang() };
    const resume = this.continuity.resumeFields(isReconnect);
    if (resume) hello.resume = resume;
    this.resumed = Boolean(hello.resume);
    return hello;
  }

  /** The server refused our `hello`: explain beside the field (or in the banner). */
  onHelloRefused(frame) {
    if (this.continuity.refused(frame)) return; // a dead secret: a plain `hello` now
    if (this.state.me) {
      this.banner.show({ message: t("conn.failed", { reason: frame.message || frame.code }) });
    } else {
      this.join.show(); // hidden by a reload that tried to come back
      this.join.showServerError(frame);
    }
  }

  /** A welcomed connection ended: keep what was being sent, and say so. */
  onLost(code) {
    this.stopTimers();
    this.outbox.connectionLost();
    this.requests.clear();
    const reason =
      this.closingReason ?? (code === CLOSE_TAKEN_OVER ? t("conn.ended") : null);
    this.banner.show(reason ? { message: reason } : null);
    this.closingReason = null;
    this.render();
  }

  logout() {
    this.continuity.forget(); // "Quitter": nothing to come back with (the form keeps the profile)
    this.link.close();
    this.stopTimers();
    this.state.reset();
    this.requests.clear();
    this.profile = null;
    this.session = null;
    this.lastMessageId = null;
    this.closingReason = null;
    this.notices.clear();
    this.reportDialog.close();
    this.settingsDialog.close();
    this.profileCard.close();
    this.conversation.composer.reset();
    this.assurance.reset();
    this.statements.render(this.state);
    this.dmRequests.render(this.state);
    this.attention.showUnread(0);
    this.chatView.hidden = true;
    this.meLabel.hidden = true;
    this.logoutButton.hidden = true;
    this.settingsButton.hidden = true;
    this.join.show();
    this.join.focus();
  }

  stopTimers() {
    clearInterval(this.roomsTimer);
    this.roomsTimer = null;
  }

  /** Send a request and remember what it was about, so its reply or error finds its place. */
  request(type, fields, meta = {}) {
    const id = this.link.send(type, fields);
    if (id === null) return null;
    this.requests.set(id, { type, ...meta });
    if (this.requests.size > MAX_TRACKED_REQUESTS) {
      this.requests.delete(this.requests.keys().next().value);
    }
    return id;
  }

  // ---- frames from the server -------------------------------------------------------------

  onFrame(frame) {
    const inbox = this.inbox;
    switch (frame.type) {
      case "welcome":
        return this.onWelcome(frame);
      case "rooms":
        this.takeRequest(frame.re);
        this.state.setRooms(frame.rooms);
        return this.render();
      case "joined":
        return inbox.onJoined(frame);
      case "parted":
        this.takeRequest(frame.re);
        this.state.close(roomKey(roomIdOf(frame.room)));
        return this.render();
      case "presence":
        this.state.notePresence(roomIdOf(frame.room), frame.user, frame.state);
        this.memberRooms.onPresence(frame);
        return this.render();
      case "message":
        return inbox.onMessage(frame);
      case "ack":
        return inbox.onAck(frame);
      case "history":
        return inbox.onHistory(frame);
      case "dm":
        return inbox.onDm(frame);
      case "blocks":
        return this.safety.onBlocks(frame);
      case "notice": // a duel's line comes as a notice to each player (games.js)
        return this.games.onNotice(frame) || this.safety.onNotice(frame);
      case "reported":
        return this.safety.onReported(frame);
      case "appealed":
        return this.safety.onAppealed(frame);
      case "settings":
        return this.safety.onSettings(frame);
      case "dm_request":
        return inbox.onDmRequest(frame);
      case "accepted":
        return inbox.onAccepted(frame);
      case "declined":
        this.takeRequest(frame.re);
        this.state.takeRequest(String(frame.nick ?? ""));
        return this.render();
      case "deleted":
        return this.actions.onDeleted(frame);
      case "typing":
        return this.actions.onTyping(frame);
      case "room_state":
        this.state.setRoomState(roomIdOf(frame.room), frame.locked, frame.slow_mode_s);
        return this.render();
      case "room_updated":
      case "room_archived":
        onRoomChange(this, frame);
        return this.render();
      case "age_assured":
        this.takeRequest(frame.re);
        return this.assurance.assured(frame);
      case "error":
        return this.refusals.onError(frame);
      default: // member rooms' and games' frames; pong and types a newer server may add: nothing
        return this.memberRooms.onFrame(frame) || this.games.onFrame(frame);
    }
  }

  onWelcome(frame) {
    const isReconnect = this.state.me !== null;
    this.session = frame.session;
    this.continuity.welcomed(frame);
    rememberSessionToken(frame.token);
    rememberMediaToken(frame.token);
    this.state.me = frame.user;
    this.state.setRooms(frame.rooms);
    this.outbox.welcomed(frame);
    this.join.hide();
    this.join.setBusy(false);
    this.chatView.hidden = false;
    this.logoutButton.hidden = false;
    this.settingsButton.hidden = false;
    this.renderMe();
    // A new session starts with the server's default; keep the person's choice.
    if (isReconnect && this.state.dmPolicy !== DM_POLICIES[0]) {
      this.request("settings", { dm_policy: this.state.dmPolicy });
    }
    clearInterval(this.roomsTimer);
    this.roomsTimer = setInterval(() => this.request("rooms", {}), ROOMS_REFRESH_MS);
    if (isReconnect && !this.resumed) {
      for (const conversation of this.state.conversations.values()) {
        if (conversation.kind === "room") this.request("join", { room: conversation.id });
      }
    } else if (!isReconnect) {
      this.panels.show("rooms");
      loadGeo()
        .then((geo) => {
          this.members.setGeo(geo);
          this.profileCard.setGeo(geo);
        })
        .catch(() => {}); // Without geo data the région/département filters stay empty.
    }
    // Private messages written while offline leave now; room ones once their room is back.
    if (isReconnect) this.outbox.flushDms();
    this.render();
    this.assurance.welcome(frame.assurance); // a minor's: what age assurance gates
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
    this.request("join", { room: room.id }, { activate: true, room: room.id });
  }

  select(key) {
    this.activate(key);
    this.render();
    this.focusComposer();
  }

  /** After choosing a conversation, the keyboard goes to the message field. */
  focusComposer() {
    if (!window.matchMedia(TOUCH_QUERY).matches) this.conversation.focusInput();
  }

  activate(key) {
    if (!this.state.activate(key)) return;
    this.panels.show("conversation");
  }

  /** A notification was clicked: that conversation, or the requests. */
  openFromAlert(key) {
    if (this.state.get(key)) this.select(key);
    else this.panels.show("rooms");
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

  /** The people `@` may name in the active conversation (not me). */
  mentionCandidates() {
    const conversation = this.state.active;
    if (!conversation) return [];
    const people =
      conversation.kind === "room"
        ? [...conversation.members.values()]
        : [conversation.peer ?? { nick: conversation.id }];
    return people.filter((user) => user?.nick && !this.state.isMe(user.nick));
  }

  /** Send the composer's text to the active conversation, or keep it to send when possible. */
  send(text) {
    const conversation = this.state.active;
    const trimmed = text.trim();
    if (!conversation || !trimmed) return false;
    this.outbox.send(conversation, trimmed, this.actions.takeReply(conversation));
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
      this.refusals.showConversationError(conversation.key, error);
      return;
    } finally {
      this.picker.showProgress(null);
    }
    if (!this.outbox.sendMedia(conversation, media)) {
      this.refusals.showConversationError(conversation.key, { key: "chat.offline" });
      return;
    }
    this.render();
  }

  toggleBlock() {
    const conversation = this.state.active;
    if (conversation?.kind === "dm") this.toggleBlockOf(conversation.id);
  }

  toggleBlockOf(nick) {
    this.safety.toggleBlockOf(nick);
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
    if (active && this.isSeeing(active) && (active.unread || active.mentions)) {
      active.unread = 0;
      active.mentions = 0;
      this.render();
    }
  }

  render(options = {}) {
    if (!this.state.me) return;
    this.statements.render(this.state);
    this.dmRequests.render(this.state);
    this.rooms.render(this.state);
    this.memberRooms.render();
    const active = this.state.active;
    const dmWaitS = active && this.outbox.mustWait(active) ? this.outbox.dmWaitLeft() : 0;
    this.conversation.render(this.state, {
      isOnline: this.isOnline,
      isDmGated: this.assurance.blocksDm,
      dmWaitS,
      ...options,
    });
    this.actions.render(this.state.activeKey);
    this.tickWhileWaiting(dmWaitS > 0);
    const isForbiddenHere = active?.kind === "room" && active.pictures === false;
    this.picker.setEnabled(
      Boolean(active) && this.conversation.canWrite && !isForbiddenHere,
      isForbiddenHere ? "picture.not_here" : "chat.offline",
    );
    this.members.render(this.state);
    this.games.render();
    const unread = this.state.totalUnread();
    const navBadge = byId("nav-unread");
    navBadge.hidden = unread === 0;
    navBadge.textContent = unread > 99 ? "99+" : String(unread);
    this.attention.showUnread(unread);
  }

  /** A countdown on screen (a new private conversation's wait): render every second. */
  tickWhileWaiting(isWaiting) {
    if (isWaiting && this.waitTimer === null) {
      this.waitTimer = setInterval(() => this.render(), 1000);
    } else if (!isWaiting && this.waitTimer !== null) {
      clearInterval(this.waitTimer);
      this.waitTimer = null;
    }
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
    this.profileCard.render();
    this.conversation.composer.relabel();
    this.render();
  }

  markLangButtons() {
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === getLang()));
    }
  }
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // The app works without it; it only adds offline start and installability.
    });
  });
}

const app = new App();
const profile = keptProfile();
if (profile) app.join.fill(profile); // a reload, or after "Quitter": the form is filled in
app.continuity.boot(); // something kept: come back as that person, without the form
registerServiceWorker();
