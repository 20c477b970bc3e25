// Statements of reasons (`notice {kind: "moderation", statement_id}`): what the moderators
// decided and why, in a panel under the header that stays until dismissed, whatever panel is
// shown on a phone. "Contester" opens a text box and sends `appeal {statement_id, text}`.
//
// Each statement keeps its element while its state does not change, so a re-render (a new
// message elsewhere) never takes away the text being typed or the keyboard focus.

import { byId, el, syncChildren } from "../dom.js";
import { getLang, t } from "../i18n.js";

const APPEAL_MAX_CHARS = 2000;

export class StatementsView {
  #handlers;
  #nodes = new Map(); // statement id -> {node, signature}
  #drafts = new Map(); // statement id -> appeal text being typed

  /** handlers: onAppealEdit(id, isEditing), onAppealSend(id, text), onDismiss(id). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.box = byId("statements");
  }

  render(state) {
    const lang = getLang();
    const nodes = [];
    const focus = [];
    let isNew = false;
    // Newest first: the decision that just arrived is the one in view.
    for (const statement of [...state.statements].reverse()) {
      const signature = [statement.text, statement.appeal, statement.error, lang].join("|");
      const cached = this.#nodes.get(statement.id);
      if (cached && cached.signature === signature) {
        nodes.push(cached.node);
        continue;
      }
      const node = this.#statement(statement);
      isNew = isNew || !cached;
      if (statement.appeal === "editing" && cached?.signature.split("|")[1] !== "editing") {
        focus.push(node.querySelector("textarea"));
      }
      this.#nodes.set(statement.id, { node, signature });
      nodes.push(node);
    }
    const shown = new Set(state.statements.map((statement) => statement.id));
    for (const id of [...this.#nodes.keys()]) {
      if (!shown.has(id)) {
        this.#nodes.delete(id);
        this.#drafts.delete(id);
      }
    }
    syncChildren(this.box, nodes);
    this.box.hidden = nodes.length === 0;
    if (isNew) this.box.scrollTop = 0;
    for (const input of focus) input?.focus();
  }

  #statement(statement) {
    const id = statement.id;
    const parts = [
      el(
        "header",
        { className: "statement-header" },
        el("strong", { className: "statement-title", text: t("statement.title") }),
        el("button", {
          type: "button",
          className: "notice-close",
          testid: "statement-dismiss",
          text: "×",
          title: t("statement.dismiss"),
          attrs: { "aria-label": t("statement.dismiss") },
          on: { click: () => this.#handlers.onDismiss(id) },
        }),
      ),
      el("p", { className: "statement-text", testid: "statement-text", text: statement.text }),
    ];
    if (statement.appeal === null) {
      parts.push(
        el(
          "div",
          { className: "statement-actions" },
          el("button", {
            type: "button",
            className: "button",
            testid: "appeal",
            text: t("statement.appeal"),
            on: { click: () => this.#handlers.onAppealEdit(id, true) },
          }),
        ),
      );
    } else if (statement.appeal === "sent") {
      parts.push(
        el("p", {
          className: "statement-result",
          testid: "appeal-result",
          attrs: { role: "status" },
          text: t("statement.appealed"),
        }),
      );
    } else {
      parts.push(this.#appealForm(statement));
    }
    return el(
      "section",
      {
        className: "statement",
        testid: "statement",
        dataset: { statementId: id },
        attrs: { role: "alert", "aria-label": t("statement.title") },
      },
      parts,
    );
  }

  #appealForm(statement) {
    const id = statement.id;
    const isSending = statement.appeal === "sending";
    const inputId = `appeal-text-${id}`;
    const text = el("textarea", {
      className: "input textarea",
      id: inputId,
      testid: "appeal-text",
      rows: 3,
      maxLength: APPEAL_MAX_CHARS,
      value: this.#drafts.get(id) ?? "",
      disabled: isSending,
      on: { input: () => this.#drafts.set(id, text.value) },
    });
    const error = statement.error
      ? el("p", { className: "form-error", testid: "appeal-error", text: statement.error })
      : null;
    const form = el(
      "form",
      { className: "statement-appeal", attrs: { novalidate: true } },
      el("label", {
        className: "field-label",
        text: t("statement.appeal.label"),
        htmlFor: inputId,
      }),
      text,
      error,
      el(
        "div",
        { className: "statement-actions" },
        el("button", {
          type: "button",
          className: "button button-quiet",
          text: t("statement.appeal.cancel"),
          disabled: isSending,
          on: { click: () => this.#handlers.onAppealEdit(id, false) },
        }),
        el("button", {
          type: "submit",
          className: "button button-primary",
          testid: "appeal-submit",
          text: t(isSending ? "statement.appeal.sending" : "statement.appeal.submit"),
          disabled: isSending,
        }),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#handlers.onAppealSend(id, text.value.trim());
    });
    return form;
  }
}
