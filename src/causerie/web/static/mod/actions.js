// The action buttons of one queue item and the form that confirms an action.
//
// Every action goes through the same two steps: a button opens the form (a reason prefilled
// from the category, and the action's own choices: scope, duration, lock, interval), then
// "Confirmer" sends `mod {action, …, reason, report_id}` (docs/protocol.md, "Moderation").
// The controller routes the answer (`mod_done` or `error`, by `re`) back to showResult().

import { el } from "/static/dom.js";
import { t } from "/static/mod/i18n-mod.js";
import { isOpen, targetOf } from "/static/mod/queue.js";

const MUTE_DURATIONS_S = [600, 3600, 86400, 604800];
const BAN_DURATIONS_S = [3600, 86400, 604800, 2592000, null]; // null: for good
const SLOW_INTERVALS_S = [0, 10, 30, 60];
const REASON_MAX_CHARS = 1000;

// action name -> how its button and form look. `wire` is the protocol action when it differs.
const ACTIONS = {
  take: { testid: "action-take", style: "primary" },
  dismiss: { testid: "action-dismiss" },
  delete_message: { testid: "action-delete", style: "danger" },
  // A message automatic moderation held: published as if it had passed, or left unpublished.
  release_held: { testid: "action-release", style: "primary" },
  discard_held: { testid: "action-discard", style: "danger" },
  mute: {
    testid: "action-mute",
    style: "danger",
    scope: true,
    durations: MUTE_DURATIONS_S,
    defaultS: 3600,
  },
  kick: { testid: "action-kick", style: "danger", scope: true },
  ban: {
    testid: "action-ban",
    style: "danger",
    scope: true,
    durations: BAN_DURATIONS_S,
    defaultS: 86400,
  },
  lock_room: { testid: "action-lock", lock: true },
  slow_mode: { testid: "action-slow", interval: true },
  stop_game: { testid: "action-stop-game" },
  // Site-wide: the person's teen session ends and their device keeps the adult band.
  move_out_of_teen_space: { testid: "action-move-out", style: "danger" },
  uphold: { testid: "action-uphold", wire: "decide_appeal", style: "primary" },
  reverse: { testid: "action-reverse", wire: "decide_appeal", style: "danger" },
};

/** Which actions an item offers, in the order of the bar. */
export function actionsFor(item) {
  // Taking or dismissing only makes sense while the ticket is open; a closed report can still
  // lead to more measures (delete the message, then ban), a decided appeal to nothing more.
  const open = isOpen(item);
  if (item.kind === "appeal") return open ? ["take", "uphold", "reverse"] : [];
  const { nick, message } = targetOf(item);
  const room = roomOf(item);
  const names = open ? ["take", "dismiss"] : [];
  if (open && item.held) names.push("release_held", "discard_held");
  const isShown = message && message.id !== undefined && message.id !== null && !item.held;
  if (isShown) names.push("delete_message"); // a held message was never shown
  if (nick) names.push("mute", "kick", "ban");
  // The child-safety lane is where the signals that a "teen" is an adult arrive.
  if (nick && item.category === "child_safety") names.push("move_out_of_teen_space");
  if (room) names.push("lock_room", "slow_mode", "stop_game");
  return names;
}

/** The room an item is about (the reported message's room), or null (private message, person). */
export function roomOf(item) {
  const { message } = targetOf(item);
  return message?.room ?? item.room ?? null;
}

/** The default reason for an action on this item, given the form's choices so far. */
export function defaultReason(name, item, values = {}) {
  if (name === "lock_room" && values.locked === "false") return t("reason.unlock_room");
  if (name === "slow_mode" && values.interval === "0") return t("reason.slow_mode_off");
  const own = ["take", "dismiss", "uphold", "reverse", "lock_room", "slow_mode", "stop_game"];
  own.push("release_held", "discard_held");
  if ([...own, "move_out_of_teen_space"].includes(name)) {
    return t(`reason.${name}`);
  }
  const key = `reason.${item.category}`;
  const text = t(key);
  return text === key ? t("reason.other") : text;
}

/**
 * The `mod` frame's fields for `name` on `item` with the form's `values`
 * ({reason, scope, duration, locked, interval}).
 */
export function modFields(name, item, values) {
  const spec = ACTIONS[name];
  const { nick, message } = targetOf(item);
  const room = roomOf(item);
  const fields = { action: spec.wire ?? name, reason: values.reason, report_id: item.id };
  const inRoom = values.scope === "room" && room ? { room } : {};
  switch (name) {
    case "delete_message":
      fields.message_id = message.id;
      if (message.room) fields.room = message.room;
      break;
    case "mute":
      Object.assign(fields, { nick, ...inRoom, duration_s: Number(values.duration) });
      break;
    case "kick":
      Object.assign(fields, { nick, ...inRoom });
      break;
    case "move_out_of_teen_space":
      fields.nick = nick;
      break;
    case "ban":
      Object.assign(fields, { nick, ...inRoom });
      if (values.duration !== "forever") fields.duration_s = Number(values.duration);
      break;
    case "lock_room":
      // About the room, not the report: sending report_id would close the report as actioned
      // while the person reported has not been dealt with.
      delete fields.report_id;
      Object.assign(fields, { room, locked: values.locked === "true" });
      break;
    case "slow_mode":
      delete fields.report_id;
      Object.assign(fields, { room, interval_s: Number(values.interval) });
      break;
    case "stop_game":
      delete fields.report_id; // stopping the room's game does not deal with the person reported
      fields.room = room;
      break;
    case "uphold":
    case "reverse":
      fields.statement_id = statementOf(item);
      fields.uphold = name === "uphold";
      break;
    default:
      break;
  }
  return fields;
}

export function statementOf(item) {
  return item.statement_id ?? item.appeal?.statement_id ?? null;
}

function option(value, text, selected = false) {
  return el("option", { value: String(value), text, selected });
}

function durationText(seconds) {
  return seconds === null ? t("duration.forever") : t(`duration.${seconds}`);
}

export class ActionPanel {
  #item;
  #onSend;
  #roomName;
  #open = null; // the action whose form is shown
  #pendingId = null;

  /**
   * onSend(fields, itemId) sends a `mod` frame and returns its request id (null when
   * offline), so that the answer comes back to the item it was about;
   * roomName(id) gives a room's display name.
   */
  constructor(item, { onSend, roomName }) {
    this.#item = item;
    this.#onSend = onSend;
    this.#roomName = roomName;
    this.bar = el("div", {
      className: "action-bar",
      attrs: { role: "group", "aria-label": t("action.bar") },
    });
    this.formBox = el("div", { className: "action-form-box" });
    this.result = el("p", {
      className: "action-result",
      testid: "action-result",
      attrs: { role: "status", "aria-live": "polite" },
      hidden: true,
    });
    this.node = el(
      "section",
      { className: "actions", testid: "actions" },
      this.bar,
      this.formBox,
      this.result,
    );
    this.#renderBar();
  }

  get itemId() {
    return this.#item.id;
  }

  /** The item changed (a `queue_item`): keep an open form as it is, refresh the buttons. */
  update(item) {
    this.#item = item;
    this.#renderBar();
  }

  /** Show the outcome of a request this panel sent: kind "ok", "error" or "pending". */
  showResult(kind, text, requestId = null) {
    if (kind === "pending") this.#pendingId = requestId;
    if (kind !== "pending" && (requestId === null || requestId === this.#pendingId)) {
      this.#pendingId = null;
    }
    this.result.hidden = false;
    this.result.textContent = text;
    this.result.dataset.state = kind;
    if (kind === "ok") this.#closeForm();
    this.#setBusy(this.#pendingId !== null);
  }

  #renderBar() {
    const buttons = actionsFor(this.#item).map((name) => {
      const spec = ACTIONS[name];
      const style =
        spec.style === "primary"
          ? "button-primary"
          : spec.style === "danger"
            ? "button-danger"
            : "";
      return el("button", {
        type: "button",
        className: `button ${style}`.trim(),
        testid: spec.testid,
        text: t(`action.${name}`),
        attrs: { "aria-expanded": this.#open === name ? "true" : "false" },
        on: { click: () => this.#openForm(name) },
      });
    });
    this.bar.replaceChildren(...buttons);
  }

  #openForm(name) {
    this.#open = name;
    const item = this.#item;
    const spec = ACTIONS[name];
    const room = roomOf(item);
    const { nick } = targetOf(item);
    const fields = [];

    if (spec.scope) {
      const scope = el(
        "select",
        { className: "input", name: "scope", testid: "action-scope", id: "action-scope" },
        room ? option("room", t("scope.room", { room: this.#roomName(room) }), true) : null,
        option("site", t("scope.site"), !room),
      );
      fields.push(field("action-scope", t("action.scope"), scope));
    }
    if (spec.durations) {
      const duration = el(
        "select",
        { className: "input", name: "duration", testid: "action-duration", id: "action-duration" },
        spec.durations.map((s) => option(s ?? "forever", durationText(s), s === spec.defaultS)),
      );
      fields.push(field("action-duration", t("action.duration"), duration));
    }
    if (spec.lock) {
      const lock = el(
        "select",
        { className: "input", name: "locked", testid: "action-locked", id: "action-locked" },
        option("true", t("lock.true"), true),
        option("false", t("lock.false")),
      );
      fields.push(field("action-locked", t("action.lock"), lock));
    }
    if (spec.interval) {
      const interval = el(
        "select",
        { className: "input", name: "interval", testid: "action-interval", id: "action-interval" },
        SLOW_INTERVALS_S.map((s) =>
          option(s, s === 0 ? t("slow.0") : t("slow.n", { n: s }), s === 30),
        ),
      );
      fields.push(field("action-interval", t("action.interval"), interval));
    }

    const reason = el("textarea", {
      className: "input action-reason",
      name: "reason",
      id: "action-reason",
      testid: "action-reason",
      rows: 2,
      maxLength: REASON_MAX_CHARS,
      required: true,
      value: defaultReason(name, item),
      attrs: { "aria-describedby": "action-reason-hint action-error" },
    });
    const error = el("p", {
      className: "field-error",
      id: "action-error",
      testid: "action-error",
      attrs: { role: "alert" },
    });
    const confirm = el("button", {
      type: "submit",
      className: `button ${spec.style === "danger" ? "button-danger-strong" : "button-primary"}`,
      testid: "action-confirm",
      text: t("action.confirm"),
    });
    const cancel = el("button", {
      type: "button",
      className: "button button-quiet",
      testid: "action-cancel",
      text: t("action.cancel"),
      on: { click: () => this.#closeForm() },
    });
    const title = t("action.on", {
      action: t(`action.${name}`),
      nick: nick || this.#roomName(room),
    });
    const form = el(
      "form",
      {
        className: `action-form action-form-${name}`,
        testid: "action-form",
        dataset: { action: name },
        attrs: { novalidate: true },
      },
      el("h3", { className: "action-form-title", text: title }),
      fields.length ? el("div", { className: "action-form-choices" }, fields) : null,
      el(
        "div",
        { className: "field" },
        el("label", {
          className: "field-label",
          htmlFor: "action-reason",
          text: t("action.reason"),
        }),
        reason,
        el("p", {
          className: "field-hint",
          id: "action-reason-hint",
          text: t("action.reason.hint"),
        }),
        error,
      ),
      el("div", { className: "action-form-buttons" }, cancel, confirm),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(form).entries());
      values.reason = String(values.reason ?? "").trim();
      if (!values.reason) {
        error.textContent = t("action.reason.required");
        reason.setAttribute("aria-invalid", "true");
        reason.focus();
        return;
      }
      const requestId = this.#onSend(modFields(name, this.#item, values), this.#item.id);
      if (requestId === null) {
        this.showResult("error", t("action.offline"));
        return;
      }
      this.showResult("pending", t("action.sending"), requestId);
    });
    reason.addEventListener("input", () => {
      error.textContent = "";
      reason.removeAttribute("aria-invalid");
    });
    // Until the moderator writes their own reason, it follows the choices (lock or unlock…).
    let suggested = reason.value;
    form.addEventListener("change", (event) => {
      if (event.target === reason || reason.value !== suggested) return;
      const values = Object.fromEntries(new FormData(form).entries());
      suggested = defaultReason(name, this.#item, values);
      reason.value = suggested;
    });
    this.formBox.replaceChildren(form);
    this.#renderBar();
    reason.focus();
    reason.select();
  }

  #closeForm() {
    this.#open = null;
    this.formBox.replaceChildren();
    this.#renderBar();
  }

  #setBusy(isBusy) {
    const confirm = this.formBox.querySelector("[data-testid='action-confirm']");
    if (confirm) confirm.disabled = isBusy;
  }
}

function field(id, text, control) {
  return el(
    "div",
    { className: "field" },
    el("label", { className: "field-label", htmlFor: id, text }),
    control,
  );
}
