// The safety side of the controller (docs/protocol.md, "Reports, appeals, settings"): block
// lists, notices and statements of reasons, reports, appeals (also without a session), message
// requests answered, and who may write to me. Frames in, requests out, through the app.

import { t } from "./i18n.js";
import { appealError, appealWithoutSession } from "./refusals.js";
import { DM_POLICIES, dmKey, roomIdOf, roomKey } from "./state.js";

export class SafetyFlow {
  #app;

  /** app: the controller (state, request(), takeRequest(), views, render()). */
  constructor(app) {
    this.#app = app;
  }

  onBlocks(frame) {
    const app = this.#app;
    const state = app.state;
    app.takeRequest(frame.re);
    state.setBlocks(frame.nicks);
    // Blocking someone also drops their pending request: they are hidden both ways.
    for (const request of [...state.dmRequests.values()]) {
      if (state.isBlocked(request.from.nick)) state.takeRequest(request.from.nick);
    }
    app.reportDialog.relabel();
    app.settingsDialog.render(state);
    app.profileCard.render(state);
    app.render();
  }

  /**
   * A statement of reasons (with `statement_id`) goes to its own panel; a safety notice about
   * a room (`room`) or a private conversation (`nick`) shows there; the rest above the chat.
   */
  onNotice(frame) {
    const app = this.#app;
    const text = String(frame.text ?? "");
    const statementId = frame.statement_id;
    if (frame.kind === "moderation" && statementId !== undefined && statementId !== null) {
      app.state.addStatement(statementId, text);
      app.render();
      return;
    }
    // A safety notice about someone (the grooming detector's): report them in one click.
    const about = typeof frame.about === "string" && frame.about ? frame.about : null;
    if (frame.kind === "safety") {
      const conversation = this.#conversationOfNotice(frame);
      if (conversation) {
        conversation.addSafetyNotice(text, about);
        app.render();
        return;
      }
    }
    app.notices.add(frame.kind, text, about);
  }

  #conversationOfNotice(frame) {
    const state = this.#app.state;
    if (frame.room) return state.get(roomKey(roomIdOf(frame.room)));
    const about = frame.about ?? frame.nick;
    const nick = about !== null && typeof about === "object" ? about.nick : about;
    if (typeof nick === "string" && nick && !state.isMe(nick)) return state.get(dmKey(nick));
    return null;
  }

  onReported(frame) {
    const app = this.#app;
    app.takeRequest(frame.re);
    if (!app.reportDialog.received(frame.re, frame.report_id)) {
      app.notices.add("info", t("report.done", { id: frame.report_id }));
    }
  }

  onAppealed(frame) {
    const app = this.#app;
    const meta = app.takeRequest(frame.re);
    const statement = app.state.statement(frame.statement_id ?? meta?.statementId);
    if (statement) Object.assign(statement, { appeal: "sent", error: null });
    app.render();
  }

  onSettings(frame) {
    const app = this.#app;
    app.takeRequest(frame.re);
    if (DM_POLICIES.includes(frame.dm_policy)) app.state.dmPolicy = frame.dm_policy;
    app.settingsDialog.saved(frame.re);
    app.settingsDialog.render(app.state);
  }

  /** Send the report dialog's form: a message (by id) or a person (by nickname). */
  sendReport(target, fields) {
    const body = { category: fields.category, good_faith: fields.good_faith };
    if (target.message) body.message_id = target.message.id;
    else body.nick = target.nick;
    if (fields.comment) body.comment = fields.comment;
    if (fields.contact) body.contact = fields.contact;
    if (fields.reason) body.reason = fields.reason;
    return this.#app.request("report", body);
  }

  /** Accept or decline the message request from `nick`. */
  answerRequest(type, nick) {
    const app = this.#app;
    const request = app.state.request(nick);
    if (app.request(type, { nick }, { nick }) === null) {
      app.notices.add("error", t("chat.offline"));
      return;
    }
    if (request) request.answering = true;
    app.render();
  }

  toggleBlockOf(nick) {
    const app = this.#app;
    app.request(app.state.isBlocked(nick) ? "unblock" : "block", { nick });
  }

  editAppeal(id, isEditing) {
    const app = this.#app;
    const statement = app.state.statement(id);
    if (!statement || statement.appeal === "sending" || statement.appeal === "sent") return;
    statement.appeal = isEditing ? "editing" : null;
    statement.error = null;
    app.render();
  }

  sendAppeal(id, text) {
    const app = this.#app;
    const statement = app.state.statement(id);
    if (!statement || statement.appeal === "sending" || statement.appeal === "sent") return;
    if (!text) {
      statement.error = t("statement.appeal.empty");
    } else if (!app.isOnline) {
      this.#appealBeforeHello(statement, id, text);
      return;
    } else if (app.request("appeal", { statement_id: id, text }, { statementId: id }) === null) {
      statement.error = t("chat.offline");
    } else {
      statement.appeal = "sending";
      statement.error = null;
    }
    app.render();
  }

  /** No session is open (a move out of the teen space ended it): appeal before any hello. */
  async #appealBeforeHello(statement, id, text) {
    const app = this.#app;
    Object.assign(statement, { appeal: "sending", error: null });
    app.render();
    const frame = await appealWithoutSession(id, text);
    if (frame?.type === "appealed") Object.assign(statement, { appeal: "sent", error: null });
    else Object.assign(statement, { appeal: "editing", error: appealError(frame) });
    app.render();
  }
}
