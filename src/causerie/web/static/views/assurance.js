// Age assurance in the teen space (docs/age-verification.md): the walk-through that asks a
// teen to prove, through an independent provider, that they are under 18.
//
// How it goes: the `welcome` of a minor says what the operator gates (`assurance.required`:
// off, dm or space) and whether this session is assured. When something is gated and it is
// not, the dialog explains, and "Ouvrir la vérification" opens the provider's page in a new
// window (with an opener, and nothing about Causerie or the person in its address). The
// provider posts the token back to us; we take it only from that window and the provider's
// origin (the site's own for the development provider), send `assure_age {token}`, and on
// `age_assured` the dialog says it is done and the app unlocks (rooms, composer). A refusal
// (`age_restricted` with a reason) shows its message and offers to try again. A request the
// gate refused (`reason: age_assurance_needed`) opens the dialog again; a quiet reminder bar
// stays while the teen chose "Plus tard".

import "./assurance-texts.js";
import { el } from "../dom.js";
import { onLangChange, t } from "../i18n.js";

const WINDOW_NAME = "causerie-age-check";
const WINDOW_FEATURES = "popup,width=480,height=720";
const MAX_TOKEN_CHARS = 2048; // safety/ageverify.py
const GATES = new Set(["dm", "space"]);

/** The token a provider's message carries: a string, or `{type: "age_token", token}`. */
export function tokenOf(data) {
  const token =
    typeof data === "string"
      ? data
      : data && typeof data === "object" && data.type === "age_token"
        ? data.token
        : null;
  return typeof token === "string" && token && token.length <= MAX_TOKEN_CHARS ? token : null;
}

/** The origin a provider page's messages must come from; null for an unusable address. */
export function providerOrigin(url, base = window.location.href) {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

export class AssuranceFlow {
  #handlers;
  #status = null; // the welcome's `assurance`: {required, assured, provider_url}
  #phase = "intro"; // intro · waiting · blocked · checking · error · done
  #message = ""; // the server's refusal, shown as is
  #popup = null;
  #requestId = null;

  /**
   * handlers: send(token) -> request id or null when offline; onAssured(rooms) once the
   * server said yes.
   */
  constructor(handlers) {
    this.#handlers = handlers;
    this.dialog = el("dialog", {
      className: "dialog assurance-dialog",
      testid: "assurance-dialog",
      attrs: { "aria-labelledby": "assurance-title", "aria-describedby": "assurance-intro" },
    });
    this.dialog.addEventListener("close", () => this.#renderReminder());
    this.reminder = el("div", {
      className: "assurance-reminder",
      testid: "assurance-reminder",
      attrs: { role: "region", "aria-labelledby": "assurance-reminder-text" },
      hidden: true,
    });
    document.body.append(this.dialog);
    document.querySelector("main")?.before(this.reminder);
    window.addEventListener("message", (event) => this.#onMessage(event));
    onLangChange(() => this.#render());
  }

  /** Whether the person may not send private messages until assured. */
  get blocksDm() {
    return Boolean(this.#status && GATES.has(this.#status.required) && !this.#status.assured);
  }

  /** A `welcome`: remember what is gated; ask at once when something is and it is not done. */
  welcome(assurance) {
    const isValid = assurance && typeof assurance === "object";
    this.#status = isValid ? { ...assurance, assured: assurance.assured === true } : null;
    this.#phase = "intro";
    this.#render();
    if (this.blocksDm) this.open();
  }

  reset() {
    this.#status = null;
    this.#requestId = null;
    this.#popup = null;
    if (this.dialog.open) this.dialog.close();
    this.#render();
  }

  /** Show the walk-through (a request was refused for it, or the reminder was clicked). */
  open() {
    if (!this.blocksDm) return;
    if (this.#phase === "done" || this.#phase === "error") this.#phase = "intro";
    this.#render();
    if (!this.dialog.open) this.dialog.showModal();
    this.#renderReminder();
    this.dialog.querySelector("[data-autofocus]")?.focus();
  }

  /** `age_assured`: unlock, and say so. */
  assured(frame) {
    if (frame.re !== undefined && frame.re !== null && frame.re !== this.#requestId) return;
    this.#requestId = null;
    if (this.#status) this.#status.assured = true;
    this.#phase = "done";
    this.#handlers.onAssured(Array.isArray(frame.rooms) ? frame.rooms : null);
    this.#render();
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector("[data-autofocus]")?.focus();
  }

  /** The server refused the proof: its reason, in the person's language. */
  refused(frame) {
    this.#requestId = null;
    this.#phase = "error";
    this.#message = String(frame.message ?? t("assurance.unavailable"));
    this.#render();
  }

  #start() {
    const url = this.#status?.provider_url;
    if (!url || !providerOrigin(url)) {
      this.#phase = "error";
      this.#message = t("assurance.unavailable");
      this.#render();
      return;
    }
    // Not `noopener`: the provider answers through `window.opener`.
    this.#popup = window.open(url, WINDOW_NAME, WINDOW_FEATURES);
    this.#phase = this.#popup ? "waiting" : "blocked";
    this.#render();
  }

  #onMessage(event) {
    if (!this.#status || this.#status.assured || this.#requestId !== null) return;
    if (event.origin !== providerOrigin(this.#status.provider_url)) return;
    if (this.#popup && event.source !== this.#popup) return;
    const token = tokenOf(event.data);
    if (!token) return;
    const id = this.#handlers.send(token);
    if (id === null) {
      this.#phase = "error";
      this.#message = t("assurance.offline");
    } else {
      this.#requestId = id;
      this.#phase = "checking";
    }
    this.#render();
    if (!this.dialog.open) this.dialog.showModal();
  }

  #render() {
    this.#renderDialog();
    this.#renderReminder();
  }

  #renderReminder() {
    const isShown = this.blocksDm && !this.dialog.open;
    this.reminder.hidden = !isShown;
    if (!isShown) return;
    this.reminder.replaceChildren(
      el("span", {
        className: "assurance-reminder-text",
        text: t(`assurance.reminder.${this.#status.required}`),
        attrs: { id: "assurance-reminder-text" },
      }),
      el("button", {
        type: "button",
        className: "button button-primary",
        testid: "assurance-reminder-open",
        text: t("assurance.reminder.button"),
        on: { click: () => this.open() },
      }),
    );
  }

  #renderDialog() {
    if (!this.#status) {
      this.dialog.replaceChildren();
      return;
    }
    // Built again on every change: keep the keyboard where it was (or on the main action).
    const focused = this.dialog.contains(document.activeElement)
      ? document.activeElement.dataset.testid
      : null;
    this.#buildDialog();
    if (!this.dialog.open || focused === null) return;
    const again = focused && this.dialog.querySelector(`[data-testid="${focused}"]`);
    (again && !again.disabled ? again : this.dialog.querySelector("[data-autofocus]"))?.focus();
  }

  #buildDialog() {
    const gate = this.#status.required === "space" ? "space" : "dm";
    const isDone = this.#phase === "done";
    const title = t(isDone ? "assurance.done.title" : "assurance.title");
    const close = () => this.dialog.close();
    this.dialog.replaceChildren(
      el(
        "div",
        { className: "dialog-card assurance-card" },
        el(
          "header",
          { className: "dialog-header" },
          el("h2", { className: "dialog-title", text: title, attrs: { id: "assurance-title" } }),
          el("button", {
            type: "button",
            className: "dialog-close",
            text: "×",
            testid: "assurance-close",
            attrs: { "aria-label": t("assurance.close") },
            on: { click: close },
          }),
        ),
        isDone ? this.#doneBody(gate, close) : this.#askBody(gate, close),
      ),
    );
  }

  #doneBody(gate, close) {
    return [
      el("p", {
        className: "assurance-done",
        testid: "assurance-done",
        text: t(`assurance.done.${gate}`),
        attrs: { id: "assurance-intro", role: "status" },
      }),
      el(
        "div",
        { className: "dialog-actions" },
        el("span", { className: "dialog-actions-gap" }),
        el("button", {
          type: "button",
          className: "button button-primary",
          testid: "assurance-continue",
          text: t("assurance.continue"),
          dataset: { autofocus: "" },
          on: { click: close },
        }),
      ),
    ];
  }

  #askBody(gate, close) {
    const phase = this.#phase;
    const isBusy = phase === "checking";
    const status =
      phase === "waiting" || phase === "checking"
        ? t(`assurance.${phase}`)
        : phase === "blocked"
          ? t("assurance.blocked")
          : phase === "error"
            ? this.#message
            : "";
    const link =
      phase === "blocked"
        ? el("a", {
            className: "assurance-link",
            text: t("assurance.link"),
            attrs: { href: this.#status.provider_url, target: WINDOW_NAME, rel: "opener" },
          })
        : null;
    return [
      el("p", {
        className: "assurance-intro",
        text: t(`assurance.intro.${gate}`),
        attrs: { id: "assurance-intro" },
      }),
      el(
        "ol",
        { className: "assurance-steps" },
        ...["open", "private", "back"].map((step) =>
          el("li", { text: t(`assurance.step.${step}`) }),
        ),
      ),
      el("p", { className: "field-hint", text: t("assurance.wrong") }),
      el(
        "p",
        {
          className: phase === "error" ? "assurance-status is-error" : "assurance-status",
          testid: "assurance-status",
          attrs: { role: "status", "aria-live": "polite" },
        },
        status,
        link ? " " : null,
        link,
      ),
      el(
        "div",
        { className: "dialog-actions" },
        el("span", { className: "dialog-actions-gap" }),
        el("button", {
          type: "button",
          className: "button button-quiet",
          testid: "assurance-later",
          text: t("assurance.later"),
          on: { click: close },
        }),
        el("button", {
          type: "button",
          className: "button button-primary",
          testid: "assurance-open",
          text: t(phase === "error" || phase === "waiting" ? "assurance.retry" : "assurance.open"),
          disabled: isBusy,
          dataset: { autofocus: "" },
          on: { click: () => this.#start() },
        }),
      ),
    ];
  }
}
