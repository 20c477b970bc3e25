// The join form: nickname, gender, age, postal code. Checks the postal code live against
// GET /api/postcode/{code} and shows each error beside its field. The server decides what is
// acceptable (minimum age, nickname rules); the form only catches empty or malformed fields.

import { lookupPostcode } from "../geo.js";
import { byId } from "../dom.js";
import { t } from "../i18n.js";

const FIELDS = ["nick", "gender", "age", "postcode"];
const POSTCODE_DELAY_MS = 250;

export class JoinView {
  #onSubmit;
  #errors = new Map(); // field -> {key, vars} (ours, re-translated) or {message} (the server's)
  #formError = null;
  #place = null; // the last postal-code look-up: {dept, dept_name, region}
  #unknownPostcode = null; // a code the server just said does not exist
  #lookup = null; // {controller, timer} of the look-up in flight
  #busy = false;

  /** onSubmit(profile) is called with {nick, gender, age, postcode} once the form looks valid. */
  constructor({ onSubmit }) {
    this.#onSubmit = onSubmit;
    this.view = byId("join-view");
    this.form = byId("join-form");
    this.inputs = {
      nick: byId("join-nick"),
      gender: byId("join-gender"),
      age: byId("join-age"),
      postcode: byId("join-postcode"),
    };
    this.submitButton = byId("join-submit");
    this.placeLabel = byId("postcode-place");
    this.formErrorLabel = byId("join-error");

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    for (const field of FIELDS) {
      this.inputs[field].addEventListener("input", () => this.clearFieldError(field));
    }
    this.inputs.postcode.addEventListener("input", () => this.#postcodeChanged());
  }

  show() {
    this.view.hidden = false;
    this.setBusy(false);
  }

  hide() {
    this.view.hidden = true;
  }

  focus() {
    const firstEmpty = FIELDS.map((field) => this.inputs[field]).find((input) => !input.value);
    (firstEmpty ?? this.inputs.nick).focus();
  }

  /** Fill the form with a kept profile (the fields left as they are where it has none). */
  fill(profile) {
    for (const field of FIELDS) {
      const value = profile[field];
      if (value !== undefined && value !== null && value !== "") this.inputs[field].value = value;
    }
    if (profile.postcode) this.#postcodeChanged();
  }

  /** The profile as typed (age as a number). */
  values() {
    return {
      nick: this.inputs.nick.value.trim(),
      gender: this.inputs.gender.value,
      age: Number.parseInt(this.inputs.age.value, 10),
      postcode: this.inputs.postcode.value.trim(),
    };
  }

  setBusy(busy) {
    this.#busy = busy;
    this.submitButton.disabled = busy;
    this.submitButton.textContent = t(busy ? "join.connecting" : "join.submit");
    this.form.setAttribute("aria-busy", String(busy));
  }

  /** Show the server's refusal: beside its field when it names one, above the button if not. */
  showServerError(error) {
    const message = error.message || t(`error.${error.code}`);
    if (FIELDS.includes(error.field)) {
      this.#errors.set(error.field, { message });
      this.#renderErrors();
      this.inputs[error.field].focus();
    } else {
      this.showFormError({ message });
    }
  }

  /** A problem that is not about one field: {key, vars} to translate or {message} as given. */
  showFormError(error) {
    this.#formError = error;
    this.#renderErrors();
  }

  clearFieldError(field) {
    const changed = this.#errors.delete(field) || this.#formError !== null;
    this.#formError = null;
    if (changed) this.#renderErrors();
  }

  /** Re-render what depends on the language. */
  relabel() {
    this.setBusy(this.#busy);
    this.#renderPlace();
    this.#renderErrors();
  }

  #submit() {
    if (this.#busy) return;
    this.#errors.clear();
    this.#formError = null;
    const profile = this.values();
    if (!profile.nick) this.#errors.set("nick", { key: "join.required" });
    else if ([...profile.nick].length < 2 || [...profile.nick].length > 20) {
      this.#errors.set("nick", { key: "join.nick.length" });
    }
    if (!profile.gender) this.#errors.set("gender", { key: "join.required" });
    if (!this.inputs.age.value.trim()) this.#errors.set("age", { key: "join.required" });
    else if (!/^\d{1,3}$/.test(this.inputs.age.value.trim())) {
      this.#errors.set("age", { key: "join.age.number" });
    }
    if (!profile.postcode) this.#errors.set("postcode", { key: "join.required" });
    else if (!/^\d{5}$/.test(profile.postcode)) {
      this.#errors.set("postcode", { key: "join.postcode.format" });
    } else if (profile.postcode === this.#unknownPostcode) {
      this.#errors.set("postcode", { key: "postcode.unknown" });
    }
    this.#renderErrors();
    if (this.#errors.size) {
      this.inputs[FIELDS.find((field) => this.#errors.has(field))].focus();
      return;
    }
    this.#onSubmit(profile);
  }

  #postcodeChanged() {
    if (this.#lookup) {
      clearTimeout(this.#lookup.timer);
      this.#lookup.controller.abort();
      this.#lookup = null;
    }
    this.#place = null;
    this.#unknownPostcode = null;
    this.#renderPlace();
    const code = this.inputs.postcode.value.trim();
    if (!/^\d{5}$/.test(code)) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const place = await lookupPostcode(code, controller.signal);
        if (controller.signal.aborted) return;
        if (place) {
          this.#place = place;
          this.#errors.delete("postcode");
        } else {
          this.#unknownPostcode = code;
          this.#errors.set("postcode", { key: "postcode.unknown" });
        }
        this.#renderPlace();
        this.#renderErrors();
      } catch {
        // Network trouble or an aborted look-up: say nothing, the server checks on join anyway.
      }
    }, POSTCODE_DELAY_MS);
    this.#lookup = { controller, timer };
  }

  #renderPlace() {
    this.placeLabel.textContent = this.#place ? t("postcode.place", this.#place) : "";
  }

  #renderErrors() {
    for (const field of FIELDS) {
      const error = this.#errors.get(field);
      const label = byId(`error-${field}`);
      label.textContent = error ? (error.message ?? t(error.key, error.vars)) : "";
      this.inputs[field].setAttribute("aria-invalid", String(Boolean(error)));
    }
    const formError = this.#formError;
    this.formErrorLabel.textContent = formError
      ? (formError.message ?? t(formError.key, formError.vars))
      : "";
  }
}
