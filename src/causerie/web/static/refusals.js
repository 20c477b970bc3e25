// How the client reads what the server refused or sent back, apart from the controller:
// our own words for the refusals a person must understand, the message object kept from a
// frame, and an appeal sent on a socket of its own when no session is open.

import { Connection, socketUrl } from "./connection.js";
import { formatDuration, formatTime, t } from "./i18n.js";

const APPEAL_TIMEOUT_MS = 15000;
/** Refusals that pass by themselves: the line gets "Réessayer" and its text back. */
const RETRYABLE = new Set(["rate_limited", "unavailable"]);
/** Restrictions the moderators pushed (shown as theirs). */
const RESTRICTIONS = new Set(["muted", "banned"]);

/** An `error` frame after `welcome`: shown where the request it answers was made. */
export class RefusalFlow {
  #app;

  /** app: the controller (state, views, outbox, takeRequest(), render()). */
  constructor(app) {
    this.#app = app;
  }

  onError(frame) {
    const app = this.#app;
    const meta = app.takeRequest(frame.re);
    if (meta?.type === "assure_age") return app.assurance.refused(frame);
    if (frame.reason === "age_assurance_needed") app.assurance.open();
    const conversation = meta?.key ? app.state.get(meta.key) : null;
    // The wait before new private conversations: the line waits and leaves by itself.
    if (
      meta?.type === "dm" &&
      frame.code === "rate_limited" &&
      conversation &&
      app.outbox.dmRefused(conversation, frame.re, frame)
    ) {
      app.render();
      return undefined;
    }
    const shown =
      explainRefusal(frame, meta) ??
      (frame.message
        ? { message: String(frame.message), retryAfter: frame.retry_after }
        : { key: `error.${frame.code}`, retryAfter: frame.retry_after });
    const text = shown.message ?? t(shown.key, shown.vars);
    if (app.memberRooms.refused(frame, meta, text)) return undefined; // member-rooms.js
    switch (meta?.type) {
      case "say":
      case "dm":
        this.#onSendRefused(frame, meta, conversation, text);
        this.showConversationError(meta.key, shown);
        break;
      case "history":
        if (conversation) conversation.loadingOlder = false;
        this.showConversationError(meta.key, shown);
        break;
      case "block":
      case "unblock":
        this.showConversationError(app.state.activeKey, shown);
        break;
      case "report":
        if (!app.reportDialog.refused(frame.re, shown)) app.notices.add("error", text);
        break;
      case "appeal": {
        const statement = app.state.statement(meta.statementId);
        if (statement) Object.assign(statement, { appeal: "editing", error: text });
        else app.notices.add("error", text);
        break;
      }
      case "settings":
        if (!app.settingsDialog.refused(frame.re, shown)) app.notices.add("error", text);
        app.settingsDialog.render(app.state);
        break;
      case "accept":
      case "decline": {
        const request = app.state.request(meta.nick);
        if (request) request.answering = false;
        app.notices.add("error", text);
        break;
      }
      default:
        // A restriction pushed by the moderators (a ban closing the connection) is theirs.
        app.notices.add(RESTRICTIONS.has(frame.code) ? "moderation" : "error", text);
        // A ban, or a move out of the teen space, closes the connection just after.
        if (frame.code === "banned" || frame.reason === "move_out_of_teen_space") {
          app.closingReason = text;
        }
    }
    app.render();
    return undefined;
  }

  /** A `say` or `dm` was refused: mark the line "not sent", maybe give its text back. */
  #onSendRefused(frame, meta, conversation, text) {
    const app = this.#app;
    if (!conversation) return;
    if (frame.code === "held_for_review") {
      // Not refused: waiting for a moderator, who may still publish it.
      conversation.hold(frame.re);
      return;
    }
    // A refusal that passes by itself (too fast, service busy): "Réessayer" on the line.
    const failed = conversation.fail(frame.re, text, RETRYABLE.has(frame.code));
    if (failed && RETRYABLE.has(frame.code) && meta.key === app.state.activeKey) {
      app.conversation.restoreDraft(failed.text);
    }
    if (meta.type === "dm" && frame.code === "not_found") conversation.isPeerGone = true;
  }

  showConversationError(key, shown) {
    const app = this.#app;
    if (key && key === app.state.activeKey) app.conversation.setError(shown);
    else app.notices.add("error", shown.message ?? t(shown.key, shown.vars));
  }

}

/**
 * Our own words for the refusals a person must understand (moderation, a refused private
 * message), with the end of a restriction when the server gives it; null for the others.
 */
export function explainRefusal(frame, meta) {
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
export function messageOf(frame) {
  const message = { id: frame.id, from: frame.from, text: String(frame.text ?? ""), ts: frame.ts };
  if (frame.media && typeof frame.media.id === "string") message.media = frame.media;
  if (frame.reply_to && Number.isSafeInteger(frame.reply_to.id)) message.reply_to = frame.reply_to;
  if (frame.game && typeof frame.game === "object") {
    // A game's line: what the web draws, and when it arrived (a countdown reads from then).
    message.game = frame.game;
    message.arrivedMs = Date.now();
  }
  return message;
}

/**
 * Appeal while no session is open (a move out of the teen space ended it, and this device may
 * no longer enter as a teen): on a socket of its own, before any hello. The server accepts it
 * from the device the decision bars (docs/protocol.md, "Appeals"). Resolves to the server's
 * answer frame, or null when there was none.
 */
export async function appealWithoutSession(statementId, text) {
  const connection = new Connection(socketUrl());
  let requestId = null;
  const answer = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), APPEAL_TIMEOUT_MS);
    connection.addEventListener("frame", (event) => {
      if (requestId === null || event.detail.re !== requestId) return;
      clearTimeout(timer);
      resolve(event.detail);
    });
    connection.addEventListener("close", () => resolve(null));
  });
  try {
    await connection.open();
    requestId = connection.send("appeal", { statement_id: statementId, text });
  } catch {
    requestId = null;
  }
  const frame = requestId === null ? null : await answer;
  connection.close();
  return frame;
}

/** The text to show for an appeal that did not go through. */
export function appealError(frame) {
  return frame?.message ? String(frame.message) : t("chat.offline");
}
