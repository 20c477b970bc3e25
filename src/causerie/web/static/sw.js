// Causerie service worker, served at /sw.js so that its scope is the whole site.
//
// - App shell (the page, its styles, scripts and icon): answered from the cache at once and
//   refreshed from the network in the background (stale-while-revalidate), so the app opens
//   offline and picks up a new version on the next visit.
// - /api/*: network first; a cached answer only when the network fails (GET only).
// - Requests with an Authorization header (own data, admin figures): never cached.
// - /ws and anything else (other methods, other origins, /metrics, /healthz): not touched.

const CACHE = "causerie-shell-v11";
const SHELL = [
  "/",
  "/manifest.webmanifest",
  "/static/style.css",
  "/static/assurance.css",
  "/static/chat.css",
  "/static/games.css",
  "/static/icon.svg",
  "/static/icon-192.png",
  "/static/app.js",
  "/static/attention.js",
  "/static/chat-texts.js",
  "/static/connection.js",
  "/static/continuity.js",
  "/static/games.js",
  "/static/games-texts.js",
  "/static/inbox.js",
  "/static/link.js",
  "/static/member-rooms.js",
  "/static/message-actions.js",
  "/static/outbox.js",
  "/static/reconnect.js",
  "/static/refusals.js",
  "/static/room-changes.js",
  "/static/richtext.js",
  "/static/safety-flow.js",
  "/static/dom.js",
  "/static/duel-notices.js",
  "/static/geo.js",
  "/static/i18n.js",
  "/static/mydata.js",
  "/static/people.js",
  "/static/pictures.js",
  "/static/state.js",
  "/static/views/assurance.js",
  "/static/views/assurance-texts.js",
  "/static/views/composer.js",
  "/static/views/conversation.js",
  "/static/views/emoji.js",
  "/static/views/emoji-data.js",
  "/static/views/game-boards.js",
  "/static/views/game-parts.js",
  "/static/views/game-views.js",
  "/static/views/game-words.js",
  "/static/views/join.js",
  "/static/views/leaderboard.js",
  "/static/views/member-rooms.js",
  "/static/views/members.js",
  "/static/views/message-extras.js",
  "/static/views/notices.js",
  "/static/views/panels.js",
  "/static/views/picker.js",
  "/static/views/profile.js",
  "/static/views/report.js",
  "/static/views/requests.js",
  "/static/views/rooms.js",
  "/static/views/settings.js",
  "/static/views/statements.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/ws" || url.pathname.startsWith("/ws/")) return;
  // A person's own data and admin figures are never kept in a cache.
  if (request.headers.has("authorization")) return;
  if (url.pathname.startsWith("/api/")) {
    event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === "navigate" && url.pathname === "/") {
    event.respondWith(staleWhileRevalidate(event, "/"));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(staleWhileRevalidate(event, url.pathname));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

async function staleWhileRevalidate(event, key) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  const refresh = fetch(event.request)
    .then(async (response) => {
      if (response.ok) await cache.put(key, response.clone());
      return response;
    })
    .catch(() => null);
  event.waitUntil(refresh);
  if (cached) return cached;
  const response = await refresh;
  return response ?? Response.error();
}
