// The report dialog (DESIGN.md rule 6): what is reported (a message or a person), a category,
// an optional comment and contact, the good-faith statement (DSA art. 16), and "Bloquer" for
// the person concerned. It opens from the small menu button on every message, member and
// message request: one click to open, one to send once a category is chosen.
//
// In the teen space, a teen also gets "Je pense que c'est un adulte" at the top: one click
// sends `report {category: "child_safety", reason: "suspected_adult"}` (docs/protocol.md), so
// that reporting an adult posing as a teen takes two clicks from the member list or a message.

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { genderSymbol, paintNick } from "../people.js";

const EXCERPT_CHARS = 280;

export class ReportDialog {
  #handlers;
  #target = null; // {nick, user?, message?: {id, text}}
  #requestId = null; // the `report` request waiting for its answer
  #reportId = null; // set once the server said `reported`
  #error = null; // {key} or {message}
  #reason = null; // "suspected_adult" when that entry sent the report

  /**
   * handlers: onSubmit(target, fields) -> request id, or null when offline;
   * onToggleBlock(nick); isBlocked(nick) -> boolean;
   * offersSuspectedAdult(target) -> boolean: whether "I think this is an adult" fits (a teen
   * reporting someone in the teen space).
   */
  constructor(handlers) {
    this.#handlers = handlers;
    this.dialog = byId("report-dialog");
    this.form = byId("report-form");
    this.targetBox = byId("report-target");
    this.fields = byId("report-fields");
    this.category = byId("report-category");
    this.categoryError = byId("report-category-error");
    this.comment = byId("report-comment");
    this.contact = byId("report-contact");
    this.goodFaith = byId("report-good-faith");
    this.errorLabel = byId("report-error");
    this.submitButton = byId("report-submit");
    this.blockButton = byId("report-block");
    this.doneBox = byId("report-done");
    this.confirmation = byId("report-confirmation");
    this.doneCloseButton = byId("report-done-close");
    this.quick = byId("report-quick");
    this.suspectedAdultButton = byId("report-suspected-adult");

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    for (const id of ["report-close", "report-cancel", "report-done-close"]) {
      byId(id).addEventListener("click", () => this.close());
    }
    this.suspectedAdultButton.addEventListener("click", () => this.#submitSuspectedAdult());
    this.blockButton.addEventListener("click", () => {
      if (this.#target) this.#handlers.onToggleBlock(this.#target.nick);
    });
    this.category.addEventListener("change", () => {
      if (this.#error?.key === "report.category.required") this.#error = null;
      this.#render();
    });
    this.dialog.addEventListener("close", () => this.#reset());
  }

  get isOpen() {
    return this.dialog.open;
  }

  /** Open for `target`: {nick, user?} for a person, plus `message: {id, text}` for a message. */
  /** target: {nick, user?, message?, category?} (a category chosen in advance, e.g. from a
   *  safety notice: child safety). */
  open(target) {
    this.#reset();
    this.#target = target;
    if (target.category) this.category.value = target.category;
    this.#render();
    if (!this.dialog.open) this.dialog.showModal();
    this.category.focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** The server's `reported`: true when it answers this dialog's request (shown here). */
  received(requestId, reportId) {
    if (!this.dialog.open || requestId !== this.#requestId) return false;
    this.#requestId = null;
    this.#reportId = reportId;
    this.#render();
    this.doneCloseButton.focus();
    return true;
  }

  /** The server refused the report: true when it was this dialog's request. */
  refused(requestId, error) {
    if (!this.dialog.open || requestId !== this.#requestId) return false;
    this.#requestId = null;
    this.#error = error;
    this.#render();
    return true;
  }

  /** Blocks or language changed: re-render labels. */
  relabel() {
    if (this.dialog.open) this.#render();
  }

  #reset() {
    this.#target = null;
    this.#requestId = null;
    this.#reportId = null;
    this.#error = null;
    this.#reason = null;
    this.form.reset();
    this.categoryError.textContent = "";
    this.errorLabel.textContent = "";
  }

  #submit() {
    if (!this.#target || this.#requestId !== null || this.#reportId !== null) return;
    if (!this.category.value) {
      this.#error = { key: "report.category.required" };
      this.#render();
      this.category.focus();
      return;
    }
    this.#error = null;
    const fields = {
      category: this.category.value,
      comment: this.comment.value.trim(),
      contact: this.contact.value.trim(),
      good_faith: this.goodFaith.checked,
    };
    const id = this.#handlers.onSubmit(this.#target, fields);
    if (id === null) this.#error = { key: "chat.offline" };
    else this.#requestId = id;
    this.#render();
  }

  /** "Je pense que c'est un adulte": sent at once, in the child-safety lane. */
  #submitSuspectedAdult() {
    if (!this.#target || this.#requestId !== null || this.#reportId !== null) return;
    this.#error = null;
    const fields = {
      category: "child_safety",
      reason: "suspected_adult",
      comment: this.comment.value.trim(),
      contact: this.contact.value.trim(),
      good_faith: this.goodFaith.checked,
    };
    const id = this.#handlers.onSubmit(this.#target, fields);
    if (id === null) this.#error = { key: "chat.offline" };
    else {
      this.#requestId = id;
      this.#reason = "suspected_adult";
    }
    this.#render();
  }

  #render() {
    const target = this.#target;
    if (!target) return;
    this.#renderTarget(target);
    const isDone = this.#reportId !== null;
    const isSending = this.#requestId !== null;
    this.fields.hidden = isDone;
    this.doneBox.hidden = !isDone;
    const doneKey =
      this.#reason === "suspected_adult" ? "report.suspected_adult.done" : "report.done";
    this.confirmation.textContent = isDone ? t(doneKey, { id: this.#reportId }) : "";
    this.quick.hidden = isDone || !this.#handlers.offersSuspectedAdult?.(target);
    this.suspectedAdultButton.disabled = isSending;

    for (const input of [this.category, this.comment, this.contact, this.goodFaith]) {
      input.disabled = isSending;
    }
    this.submitButton.disabled = isSending;
    this.submitButton.textContent = t(isSending ? "report.sending" : "report.submit");

    const error = this.#error;
    const isCategoryError = error?.key === "report.category.required";
    this.categoryError.textContent = isCategoryError ? t(error.key) : "";
    this.category.setAttribute("aria-invalid", String(isCategoryError));
    this.errorLabel.textContent =
      error && !isCategoryError ? (error.message ?? t(error.key, error.vars)) : "";

    const isBlocked = this.#handlers.isBlocked(target.nick);
    this.blockButton.textContent = t(isBlocked ? "report.unblock" : "report.block", {
      nick: target.nick,
    });
    this.blockButton.setAttribute("aria-pressed", String(isBlocked));
  }

  #renderTarget(target) {
    const nick = paintNick(el("span", { className: "nick", text: target.nick }), target.nick);
    const user = target.user;
    const details = user?.gender
      ? el("span", {
          className: "report-target-details muted",
          text: [genderSymbol(user.gender), user.age, user.dept].filter(Boolean).join(" · "),
        })
      : null;
    if (target.message) {
      const text = target.message.text;
      const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
      this.targetBox.replaceChildren(
        el(
          "p",
          { className: "report-target-line" },
          ...splitAround(t("report.target.message", { nick: "\u0000" }), nick),
          details ? " " : null,
          details,
        ),
        el("blockquote", { className: "report-excerpt", text: excerpt }),
      );
    } else {
      this.targetBox.replaceChildren(
        el(
          "p",
          { className: "report-target-line" },
          ...splitAround(t("report.target.person", { nick: "\u0000" }), nick),
          details ? " " : null,
          details,
        ),
      );
    }
  }
}

/** Split a translated sentence on a \u0000 placeholder and put `node` in its place. */
function splitAround(sentence, node) {
  const [before, after = ""] = sentence.split("\u0000");
  return [before, node, after].filter((part) => part !== "");
}
