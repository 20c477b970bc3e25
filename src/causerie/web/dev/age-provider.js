// The development-only age provider's page (docs/age-verification.md, "The test provider").
//
// It simulates an estimation, asks its server for a signed token with the chosen claim, and
// hands the token to the page that opened it: `window.opener.postMessage({type: "age_token",
// token}, origin)`, aimed at the site's origin (this page is served by the site itself). A
// real provider does the same from its own origin; the chat client checks `event.origin`.
// Without an opener (opened by hand, or for an IRC client) the token is shown to copy.

const ESTIMATION_MS = 600; // long enough to see that something happens
const CLOSE_AFTER_MS = 1200;
const RESULTS = {
  minor_range: "Âge estimé : 13 à 16 ans.",
  minor: "Résultat : moins de 18 ans.",
  straddle: "Âge estimé : 16 à 20 ans (à cheval sur 18).",
  adult: "Résultat : 18 ans ou plus.",
};

const form = document.getElementById("provider-form");
const start = document.getElementById("provider-start");
const status = document.getElementById("provider-status");
const tokenBox = document.getElementById("provider-token-box");
const tokenField = document.getElementById("provider-token");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const claim = new FormData(form).get("claim");
  start.disabled = true;
  status.textContent = "Estimation en cours…";
  await new Promise((resolve) => setTimeout(resolve, ESTIMATION_MS));
  let token;
  try {
    const response = await fetch("/dev/age-provider/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ claim }),
    });
    if (!response.ok) throw new Error(String(response.status));
    token = (await response.json()).token;
  } catch (error) {
    status.textContent = `Le fournisseur de test n'a pas répondu (${error.message}).`;
    start.disabled = false;
    return;
  }
  tokenField.value = token;
  tokenBox.hidden = false;
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage({ type: "age_token", token }, window.location.origin);
    status.textContent = `${RESULTS[claim]} Preuve envoyée : tu peux revenir sur Causerie.`;
    setTimeout(() => window.close(), CLOSE_AFTER_MS);
  } else {
    status.textContent = `${RESULTS[claim]} Copie la preuve ci-dessous.`;
    start.disabled = false;
  }
});
