// Choosing a picture to send: the composer's button, dropping a file on the conversation, or
// pasting one. Hands the file to the app (`onPicture(file)`), which checks, uploads and sends
// it; shows the upload's progress; says why the button is off where pictures are not allowed.

import { byId } from "../dom.js";
import { t } from "../i18n.js";
import { ACCEPTED_TYPES } from "../pictures.js";

export class PicturePicker {
  #onPicture;
  #isEnabled = false;

  constructor({ onPicture }) {
    this.#onPicture = onPicture;
    this.button = byId("composer-picture");
    this.input = byId("composer-file");
    this.progress = byId("composer-progress");
    this.progressBar = byId("composer-progress-bar");
    this.progressText = byId("composer-progress-text");
    this.dropZone = byId("conversation");
    this.input.accept = ACCEPTED_TYPES.join(",");

    this.button.addEventListener("click", () => this.#isEnabled && this.input.click());
    this.input.addEventListener("change", () => {
      const [file] = this.input.files ?? [];
      this.input.value = ""; // the same file can be chosen again
      if (file) this.#onPicture(file);
    });
    this.dropZone.addEventListener("dragover", (event) => {
      if (!this.#isEnabled || !hasFile(event.dataTransfer)) return;
      event.preventDefault();
      this.dropZone.classList.add("is-dropping");
    });
    this.dropZone.addEventListener("dragleave", () => this.dropZone.classList.remove("is-dropping"));
    this.dropZone.addEventListener("drop", (event) => {
      this.dropZone.classList.remove("is-dropping");
      const file = event.dataTransfer?.files?.[0];
      if (!this.#isEnabled || !file) return;
      event.preventDefault();
      this.#onPicture(file);
    });
    byId("composer-input").addEventListener("paste", (event) => {
      const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith("image/"));
      if (!this.#isEnabled || !file) return;
      event.preventDefault();
      this.#onPicture(file);
    });
  }

  /** Whether a picture may be sent here; `reasonKey` says why not (shown on the button). */
  setEnabled(isEnabled, reasonKey = null) {
    this.#isEnabled = isEnabled;
    this.button.disabled = !isEnabled;
    this.button.title = isEnabled ? t("picture.send") : t(reasonKey ?? "picture.not_here");
    this.button.setAttribute("aria-label", this.button.title);
  }

  /** The upload's progress (0..1), or null when there is none. */
  showProgress(fraction) {
    this.progress.hidden = fraction === null;
    if (fraction === null) return;
    const percent = Math.round(fraction * 100);
    this.progressBar.value = percent;
    this.progressText.textContent = t("picture.uploading", { n: percent });
  }
}

function hasFile(transfer) {
  return Boolean(transfer && [...transfer.types].includes("Files"));
}
