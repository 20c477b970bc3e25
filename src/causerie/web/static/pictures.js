// Pictures: upload one (with progress) and show the ones messages carry.
//
// Every request carries the session's bearer token from `welcome`, so files are fetched with
// `fetch` and shown from blob: URLs (an <img src> could not send the header). A private
// message's picture first shows the server's blurred preview: the real pixels are fetched only
// when the receiver clicks "Voir l'image". Nothing here trusts the file: the server re-encodes
// every picture; the checks below only spare a pointless upload.

import { el } from "./dom.js";
import { t } from "./i18n.js";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
const CACHE_SIZE = 200;

let token = null;
const urls = new Map(); // "id/variant" -> Promise<blob URL>, oldest first

export function rememberMediaToken(value) {
  token = typeof value === "string" && value ? value : null;
  for (const url of urls.values()) url.then((u) => URL.revokeObjectURL(u)).catch(() => {});
  urls.clear(); // files fetched by an earlier session are not for this one to keep
}

/** Why this file cannot be sent, before uploading it: {key, vars} or null. */
export function precheck(file) {
  if (!file || !ACCEPTED_TYPES.includes(file.type)) return { key: "picture.not_picture" };
  if (file.size > MAX_UPLOAD_BYTES) {
    return { key: "picture.too_large", vars: { n: Math.round(MAX_UPLOAD_BYTES / 1048576) } };
  }
  return null;
}

/**
 * Upload `file`; resolves to {id, width, height, mime}. `onProgress(fraction)` while it goes.
 * Rejects with {message} (the server's readable reason) or {key} (ours).
 */
export function uploadPicture(file, onProgress) {
  return new Promise((resolve, reject) => {
    if (!token) {
      reject({ key: "picture.failed" });
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", "/api/media");
    request.setRequestHeader("authorization", `Bearer ${token}`);
    request.setRequestHeader("content-type", file.type || "application/octet-stream");
    request.responseType = "json";
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      const body = request.response;
      if (request.status === 201 && body?.id) resolve(body);
      else if (body?.error?.message) reject({ message: String(body.error.message) });
      else reject({ key: "picture.failed" });
    });
    request.addEventListener("error", () => reject({ key: "picture.failed" }));
    request.send(file);
  });
}

/** A blob: URL for a picture's `variant` ("thumb", "preview" or "" for full size). */
export function mediaUrl(id, variant) {
  const key = `${id}/${variant}`;
  let url = urls.get(key);
  if (!url) {
    const path = `/media/${encodeURIComponent(id)}${variant ? `/${variant}` : ""}`;
    url = fetch(path, { headers: { authorization: `Bearer ${token}` } }).then(async (response) => {
      if (!response.ok) throw new Error(String(response.status));
      return URL.createObjectURL(await response.blob());
    });
    url.catch(() => urls.delete(key)); // try again next time
    urls.set(key, url);
    if (urls.size > CACHE_SIZE) {
      const [oldest, old] = urls.entries().next().value;
      urls.delete(oldest);
      old.then((u) => URL.revokeObjectURL(u)).catch(() => {});
    }
  }
  return url;
}

function image(id, variant, media, alt) {
  const img = el("img", {
    className: "picture-img",
    attrs: { alt, width: media.width || undefined, height: media.height || undefined },
  });
  mediaUrl(id, variant)
    .then((url) => {
      img.src = url;
    })
    .catch(() => img.replaceWith(el("span", { className: "muted", text: t("picture.gone") })));
  return img;
}

/**
 * The picture of one message. `isBlurred`: a private picture not yet chosen to be seen;
 * `onReveal()` and `onReport()` are the receiver's two buttons on it; `onOpen()` shows it full.
 */
export function pictureNode(media, { isBlurred, onReveal, onReport, onOpen }) {
  if (isBlurred) {
    return el(
      "figure",
      { className: "picture is-blurred", testid: "picture-blurred" },
      image(media.id, "preview", media, t("picture.blurred.alt")),
      el(
        "figcaption",
        { className: "picture-veil" },
        el("button", {
          type: "button",
          className: "button button-primary",
          testid: "picture-reveal",
          text: t("picture.reveal"),
          on: { click: onReveal },
        }),
        onReport
          ? el("button", {
              type: "button",
              className: "button button-quiet",
              testid: "picture-report",
              text: t("picture.report"),
              on: { click: onReport },
            })
          : null,
      ),
    );
  }
  return el(
    "figure",
    { className: "picture", testid: "picture" },
    el(
      "button",
      {
        type: "button",
        className: "picture-open",
        title: t("picture.open"),
        attrs: { "aria-label": t("picture.open") },
        on: { click: onOpen },
      },
      image(media.id, "thumb", media, t("picture.alt")),
    ),
  );
}

/** Show a picture full size in a dialog that closes on click, Escape or its button. */
export function openFullSize(media) {
  const dialog = el(
    "dialog",
    { className: "picture-dialog", testid: "picture-full" },
    image(media.id, "", media, t("picture.alt")),
    el("button", {
      type: "button",
      className: "button picture-close",
      text: t("picture.close"),
      on: { click: () => dialog.close() },
    }),
  );
  dialog.addEventListener("close", () => dialog.remove());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
}
