// The moderation console's controller: the staff login, then the live queue over the same
// WebSocket as the chat (docs/protocol.md, "Moderation (staff, on the same WebSocket)").
//
// Life of a session: the login form -> open /ws -> `login {name, password, totp?}` ->
// `staff {name, role, rooms}` shows the console, then `queue {items}` fills it. After that the
// server pushes `queue_item` (a new or changed item) and `alert` (urgent: banner, flash, item
// pinned on top). An action is `mod {…}`, answered by `mod_done` or `error` with its `re`.
// A failed login always shows the same message, whatever failed. If the socket drops, the
// console goes back to the login form under a "Connexion perdue" banner.

import { Connection, socketUrl } from "/static/connection.js";
import { byId } from "/static/dom.js";
import { AlertBanner } from "/static/mod/alerts.js";
import { DetailView } from "/static/mod/detail.js";
import { getLang, label, onLangChange, setLang, t, translatePage } from "/static/mod/i18n-mod.js";
import { QueueModel, QueueView, refreshAges } from "/static/mod/queue.js";

const LOGIN_TIMEOUT_MS = 15000;
const AGES_REFRESH_MS = 30000;
const MAX_TRACKED_REQUESTS = 200;

class ModConsole {
  connection = null;
  staff = null; // the `staff` frame once logged in
  loginId = null; // request id of the pending `login`
  loginTimer = null;
  requests = new Map(); // request id -> {itemId, action}
  results = new Map(); // item id -> {kind, text(), re}: the last answer to an action on it
  pictures = new Map(); // media id -> {src} | {failed: true} | {pending: re}
  model = new QueueModel();
  selectedId = null;
  roomNames = new Map();

  constructor() {
    this.loginView = byId("login-view");
    this.loginForm = byId("login-form");
    this.nameInput = byId("staff-name");
    this.passwordInput = byId("staff-password");
    this.totpInput = byId("staff-totp");
    this.loginButton = byId("staff-login");
    this.loginError = byId("login-error");
    this.consoleView = byId("console-view");
    this.meLabel = byId("me");
    this.logoutButton = byId("logout");
    this.connectionBanner = byId("connection-banner");
    this.filterInputs = {
      state: byId("filter-state"),
      kind: byId("filter-kind"),
      lane: byId("filter-lane"),
    };

    this.queue = new QueueView({
      list: byId("queue"),
      count: byId("queue-count"),
      empty: byId("queue-empty"),
      onSelect: (id) => this.select(id),
    });
    this.detail = new DetailView(byId("detail"), {
      onSend: (fields, itemId) => this.sendAction(fields, itemId),
      roomName: (id) => this.roomName(id),
      onBack: () => this.showList(),
      onViewMedia: (mediaId) => this.viewMedia(mediaId),
      mediaOf: (mediaId) => this.pictures.get(mediaId) ?? null,
    });
    this.alerts = new AlertBanner({
      banner: byId("alert"),
      flash: byId("alert-flash"),
      onOpen: (id) => this.select(id),
    });

    this.loginForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.login();
    });
    this.logoutButton.addEventListener("click", () => this.logout());
    byId("queue-refresh").addEventListener("click", () => this.connection?.send("queue", {}));
    for (const input of Object.values(this.filterInputs)) {
      input.addEventListener("change", () => this.renderQueue());
    }
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.addEventListener("click", () => setLang(button.dataset.lang));
    }
    onLangChange(() => this.relabel());
    setInterval(() => {
      refreshAges(document.body);
      if (this.alerts.isShown) this.alerts.render();
    }, AGES_REFRESH_MS);

    translatePage(document);
    document.title = t("doc.title");
    this.markLangButtons();
    this.nameInput.focus();
  }

  get filters() {
    return {
      state: this.filterInputs.state.value,
      kind: this.filterInputs.kind.value,
      lane: this.filterInputs.lane.value,
    };
  }

  // ---- login ------------------------------------------------------------------------------

  async login() {
    const name = this.nameInput.value.trim();
    const password = this.passwordInput.value;
    const totp = this.totpInput.value.replace(/\s+/g, "");
    if (!name || !password) {
      this.setLoginError(t("login.required"));
      return;
    }
    this.setLoginError("");
    this.setLoginBusy(true);
    this.dropConnection();
    const connection = new Connection(socketUrl());
    this.connection = connection;
    connection.addEventListener("frame", (event) => {
      if (this.connection === connection) this.onFrame(event.detail);
    });
    connection.addEventListener("close", () => {
      if (this.connection === connection) this.onClose();
    });
    try {
      await connection.open();
    } catch {
      if (this.connection === connection) {
        this.connection = null;
        this.failLogin(t("login.unreachable"));
      }
      return;
    }
    const fields = { name, password };
    if (totp) fields.totp = totp;
    this.loginId = connection.send("login", fields);
    clearTimeout(this.loginTimer);
    this.loginTimer = setTimeout(() => {
      if (this.staff === null && this.connection === connection) {
        this.dropConnection();
        this.failLogin(t("login.timeout"));
      }
    }, LOGIN_TIMEOUT_MS);
  }

  failLogin(message) {
    clearTimeout(this.loginTimer);
    this.loginId = null;
    this.setLoginBusy(false);
    this.setLoginError(message);
    this.passwordInput.value = "";
    this.totpInput.value = "";
    this.passwordInput.focus();
  }

  setLoginError(message) {
    this.loginError.textContent = message;
  }

  setLoginBusy(isBusy) {
    this.loginButton.disabled = isBusy;
    this.loginButton.textContent = t(isBusy ? "login.connecting" : "login.submit");
  }

  logout() {
    this.dropConnection();
    this.reset();
    this.connectionBanner.hidden = true;
    this.showLogin();
  }

  dropConnection() {
    const connection = this.connection;
    this.connection = null;
    if (connection) connection.close();
  }

  reset() {
    this.staff = null;
    this.loginId = null;
    this.requests.clear();
    this.results.clear();
    this.pictures.clear();
    this.model = new QueueModel();
    this.selectedId = null;
    this.alerts.acknowledge();
    this.detail.renderEmpty();
    this.queue.reset();
  }

  showLogin() {
    this.consoleView.hidden = true;
    this.loginView.hidden = false;
    this.meLabel.hidden = true;
    this.logoutButton.hidden = true;
    this.setLoginBusy(false);
    this.passwordInput.value = "";
    this.totpInput.value = "";
    (this.nameInput.value ? this.passwordInput : this.nameInput).focus();
  }

  onClose() {
    this.connection = null;
    if (this.staff === null) {
      if (this.loginId !== null) this.failLogin(t("login.failed"));
      return;
    }
    this.reset();
    this.connectionBanner.hidden = false;
    this.showLogin();
  }

  // ---- frames -----------------------------------------------------------------------------

  onFrame(frame) {
    switch (frame.type) {
      case "staff":
        this.onStaff(frame);
        break;
      case "queue":
        if (this.staff === null) break;
        this.model.replaceAll(Array.isArray(frame.items) ? frame.items : [], this.selectedId);
        this.renderAll();
        break;
      case "queue_item":
        if (this.staff !== null && this.model.upsert(frame.item)) {
          this.alerts.update(frame.item);
          this.renderAll();
        }
        break;
      case "alert":
        if (this.staff !== null) this.onAlert(frame.item);
        break;
      case "media":
        this.onMedia(frame);
        break;
      case "mod_done":
        this.onAnswer(frame.re, "ok", () => doneText(frame));
        break;
      case "error":
        this.onError(frame);
        break;
      default:
        break; // pong, notices… nothing for the console
    }
  }

  onStaff(frame) {
    clearTimeout(this.loginTimer);
    this.loginId = null;
    this.staff = frame;
    this.connectionBanner.hidden = true;
    this.passwordInput.value = "";
    this.totpInput.value = "";
    this.loginView.hidden = true;
    this.consoleView.hidden = false;
    this.logoutButton.hidden = false;
    this.meLabel.hidden = false;
    this.renderMe();
    this.renderAll();
    this.loadRoomNames();
  }

  /**
   * An urgent item. The server sends `alert` again for every change of an urgent item that is
   * still open (e.g. someone took it): the banner goes up for a new item, or one back to
   * "received"; otherwise the item is updated and stays pinned.
   */
  onAlert(item) {
    const known = item && this.model.get(item.id);
    if (!this.model.upsert(item, { pin: true })) return;
    if (!known || (item.state === "received" && known.state !== "received")) {
      this.alerts.raise(item);
    } else {
      this.alerts.update(item);
    }
    this.renderAll();
  }

  onError(frame) {
    if (this.staff === null) {
      // Whatever was wrong before `staff` (unknown name, bad password, bad code), the person
      // sees one message, as the server intends; too many tries say when to try again.
      this.dropConnection();
      const limited = frame.code === "rate_limited" && frame.message;
      this.failLogin(limited ? frame.message : t("login.failed"));
      return;
    }
    const picture = [...this.pictures].find(([, shown]) => shown.pending === frame.re);
    if (picture) {
      this.pictures.set(picture[0], { failed: true });
      this.renderAll();
      return;
    }
    // The server's message is in the language of the moment it answered; kept as it is.
    const message = frame.message || t("error.generic", { code: frame.code });
    this.onAnswer(frame.re, "error", () => t("action.failed", { message }));
  }

  /** The answer to a `mod` request; `text()` words it in the current language. */
  onAnswer(re, kind, text) {
    const request = this.requests.get(re);
    if (!request) return;
    this.requests.delete(re);
    this.results.set(request.itemId, { kind, text, re });
    this.detail.panelFor(request.itemId)?.showResult(kind, text(), re);
  }

  /** Show the last answer about item `id` again, once its panel was rebuilt. */
  showLastResult(id) {
    const result = this.results.get(id);
    if (result) this.detail.panelFor(id)?.showResult(result.kind, result.text(), result.re);
  }

  viewMedia(mediaId) {
    const re = this.connection?.send("media", { media_id: mediaId }) ?? null;
    if (re !== null) this.pictures.set(mediaId, { pending: re });
  }

  onMedia(frame) {
    if (typeof frame.media_id !== "string" || !/^image\/(jpeg|png|webp)$/.test(frame.mime)) return;
    this.pictures.set(frame.media_id, { src: `data:${frame.mime};base64,${frame.data}` });
    this.renderAll();
  }

  sendAction(fields, itemId) {
    const id = this.connection?.send("mod", fields) ?? null;
    if (id === null) return null;
    this.requests.set(id, { itemId, action: fields.action });
    if (this.requests.size > MAX_TRACKED_REQUESTS) {
      this.requests.delete(this.requests.keys().next().value);
    }
    return id;
  }

  // ---- rendering --------------------------------------------------------------------------

  select(id) {
    const item = this.model.get(id);
    if (!item) return;
    this.selectedId = id;
    this.detail.render(item);
    this.showLastResult(id);
    this.consoleView.dataset.view = "detail";
    this.detail.box.scrollTop = 0;
    this.renderQueue();
  }

  showList() {
    this.consoleView.dataset.view = "list";
  }

  renderAll() {
    this.renderQueue();
    const item = this.selectedId !== null ? this.model.get(this.selectedId) : null;
    if (item) this.detail.render(item);
  }

  renderQueue() {
    this.queue.render(this.model, this.filters, this.selectedId);
  }

  renderMe() {
    if (!this.staff) return;
    const role = label("role", this.staff.role);
    this.meLabel.textContent = t("staff.me", { name: this.staff.name, role });
    const rooms = Array.isArray(this.staff.rooms) ? this.staff.rooms : [];
    this.meLabel.title = rooms.length ? t("staff.rooms", { rooms: rooms.join(", ") }) : "";
  }

  relabel() {
    this.markLangButtons();
    if (!this.alerts.isShown) document.title = t("doc.title");
    this.setLoginBusy(this.loginButton.disabled);
    this.renderMe();
    this.alerts.render();
    this.queue.reset();
    this.renderQueue();
    const item = this.selectedId !== null ? this.model.get(this.selectedId) : null;
    if (item) {
      this.detail.render(item, { rebuildActions: true });
      this.showLastResult(item.id);
    } else {
      this.detail.renderEmpty();
    }
  }

  markLangButtons() {
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === getLang()));
    }
  }

  roomName(id) {
    return this.roomNames.get(id) ?? `#${id}`;
  }

  async loadRoomNames() {
    try {
      const response = await fetch("/api/rooms", { headers: { accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      for (const room of body.rooms ?? []) {
        if (room && typeof room.id === "string")
          this.roomNames.set(room.id, String(room.name ?? room.id));
      }
      this.queue.reset();
      this.renderAll();
    } catch {
      // Room ids stand in for their names.
    }
  }
}

function doneText(frame) {
  const action = label("done", frame.action);
  // decide_appeal names the contested statement, not a new one.
  return frame.statement_id && frame.action !== "decide_appeal"
    ? t("action.done.statement", { action, statement: frame.statement_id })
    : t("action.done", { action });
}

new ModConsole();
