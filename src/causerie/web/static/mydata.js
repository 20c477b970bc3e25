// "Download my data": everything the service holds about the current session, as a JSON file
// (GET /api/me/data with the session's bearer token from `welcome`). Kept apart from app.js:
// app.js only hands over the token.

import { t } from "./i18n.js";

let token = null;

/** The token of the session just welcomed (null when none, e.g. an older server). */
export function rememberSessionToken(value) {
  token = typeof value === "string" && value ? value : null;
}

async function download(button, status) {
  status.textContent = "";
  if (!token) {
    status.textContent = t("mydata.failed");
    return;
  }
  button.disabled = true;
  try {
    const response = await fetch("/api/me/data", { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(String(response.status));
    const blob = await response.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "causerie-mes-donnees.json";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    status.textContent = t("mydata.done");
  } catch {
    status.textContent = t("mydata.failed");
  } finally {
    button.disabled = false;
  }
}

export function setupMyData() {
  const button = document.getElementById("my-data");
  const status = document.getElementById("my-data-status");
  if (button && status) button.addEventListener("click", () => download(button, status));
}
