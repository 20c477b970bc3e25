// Causerie admin page: admin login, then the figures for a period as tiles and SVG charts (a
// time series and bars), drawn here without any library, and the rooms (rooms.js). The admin
// token lives in memory only: reloading the page asks to log in again.

import { ROOM_TEXTS, startRooms } from "./rooms.js";

const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#2f6fde", "#d9534f", "#3a9d5d", "#e6a23c", "#8e5cc4", "#16a2b8", "#6c757d", "#c2185b"];

const TEXTS = {
  fr: {
    tagline: "Transparence (administration)",
    "login.title": "Connexion administrateur",
    "login.name": "Nom",
    "login.password": "Mot de passe",
    "login.totp": "Code à usage unique (si demandé)",
    "login.submit": "Se connecter",
    "login.refused": "Connexion refusée : réservé aux administrateurs.",
    "login.limited": "Trop d'essais : réessayez plus tard.",
    "period.from": "Du",
    "period.to": "au",
    "period.show": "Afficher",
    download: "Télécharger (JSON)",
    "tile.notices": "Signalements reçus",
    "tile.actions": "Actions prises",
    "tile.median": "Délai médian avant action",
    "tile.p90": "Délai au 90e centile",
    "tile.appeals": "Recours",
    "tile.legal": "Demandes des autorités",
    "chart.daily": "Signalements et actions par jour",
    "chart.category": "Signalements par catégorie",
    "chart.source": "Signalements par source",
    "chart.actions": "Actions par type",
    "chart.who": "Décisions automatiques ou humaines",
    "chart.appeals": "Recours et issues",
    "chart.legal": "Demandes des autorités",
    notices: "signalements",
    actions: "actions",
    automatic: "automatiques",
    human: "humaines",
    user: "utilisateurs",
    trusted: "signaleurs de confiance",
    upheld: "maintenues",
    reversed: "annulées",
    pending: "en attente",
    exports: "exports",
    holds: "gels",
    searches: "recherches",
    child_safety: "protection des mineurs",
    threat: "menace, guet-apens",
    harassment: "harcèlement",
    hate: "haine",
    illegal_goods: "produits illicites",
    sexual_content: "contenu sexuel",
    spam: "spam",
    other: "autre",
    none: "aucune",
    warning: "avertissements",
    message_removed: "messages retirés",
    message_blocked: "messages bloqués",
    held: "messages retenus",
    muted: "mises en sourdine",
    kicked: "expulsions",
    banned_room: "bannissements d'un salon",
    banned_site: "bannissements du site",
    suspended: "suspensions",
    expired: "Session expirée : reconnectez-vous.",
  },
  en: {
    tagline: "Transparency (administration)",
    "login.title": "Admin login",
    "login.name": "Name",
    "login.password": "Password",
    "login.totp": "One-time code (if asked)",
    "login.submit": "Log in",
    "login.refused": "Login refused: admins only.",
    "login.limited": "Too many attempts: try again later.",
    "period.from": "From",
    "period.to": "to",
    "period.show": "Show",
    download: "Download (JSON)",
    "tile.notices": "Notices received",
    "tile.actions": "Actions taken",
    "tile.median": "Median time to action",
    "tile.p90": "90th percentile time to action",
    "tile.appeals": "Appeals",
    "tile.legal": "Requests from authorities",
    "chart.daily": "Notices and actions per day",
    "chart.category": "Notices by category",
    "chart.source": "Notices by source",
    "chart.actions": "Actions by kind",
    "chart.who": "Automatic or human decisions",
    "chart.appeals": "Appeals and outcomes",
    "chart.legal": "Requests from authorities",
    notices: "notices",
    actions: "actions",
    automatic: "automatic",
    human: "human",
    user: "users",
    trusted: "trusted flaggers",
    upheld: "upheld",
    reversed: "reversed",
    pending: "pending",
    exports: "exports",
    holds: "holds",
    searches: "searches",
    child_safety: "child safety",
    threat: "threat, ambush",
    harassment: "harassment",
    hate: "hate",
    illegal_goods: "illegal goods",
    sexual_content: "sexual content",
    spam: "spam",
    other: "other",
    none: "none",
    warning: "warnings",
    message_removed: "messages removed",
    message_blocked: "messages blocked",
    held: "messages held",
    muted: "mutes",
    kicked: "kicks",
    banned_room: "room bans",
    banned_site: "site bans",
    suspended: "suspensions",
    expired: "Session expired: log in again.",
  },
};

Object.assign(TEXTS.fr, ROOM_TEXTS.fr);
Object.assign(TEXTS.en, ROOM_TEXTS.en);

const state = { lang: "fr", token: null, figures: null, rooms: null };

function t(key) {
  return TEXTS[state.lang][key] ?? TEXTS.fr[key] ?? key;
}

function applyTexts() {
  document.documentElement.lang = state.lang;
  for (const element of document.querySelectorAll("[data-t]")) {
    element.textContent = t(element.dataset.t);
  }
  if (state.figures) show(state.figures);
  if (state.rooms) state.rooms.render();
}

function svg(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== null) element.textContent = text;
  return element;
}

function figure(title, drawing, testid) {
  const box = document.createElement("figure");
  box.className = "admin-chart";
  box.dataset.testid = testid;
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  // The chart is an image to assistive technology: it is named by its caption (the figures
  // themselves are in the tiles and the JSON/CSV downloads). On a phone it scrolls sideways,
  // so it takes the keyboard focus to be scrolled with the arrows.
  drawing.setAttribute("aria-label", title);
  box.tabIndex = 0;
  box.append(caption, drawing);
  return box;
}

function bars(values) {
  const entries = Object.entries(values);
  const width = 520;
  const rowHeight = 26;
  const labelWidth = 180;
  const top = Math.max(1, ...entries.map(([, v]) => v));
  const chart = svg("svg", {
    width,
    height: 10 + entries.length * rowHeight,
    viewBox: `0 0 ${width} ${10 + entries.length * rowHeight}`,
    role: "img",
  });
  entries.forEach(([label, value], index) => {
    const y = 5 + index * rowHeight;
    const length = ((width - labelWidth - 50) * value) / top;
    chart.append(
      svg("text", { x: 0, y: y + 15 }, t(label)),
      svg("rect", {
        x: labelWidth,
        y: y + 3,
        width: Math.max(length, 1),
        height: rowHeight - 8,
        fill: COLORS[index % COLORS.length],
        "data-value": value,
      }),
      svg("text", { x: labelWidth + length + 6, y: y + 15 }, String(value)),
    );
  });
  return chart;
}

function series(days, keys) {
  const width = 520;
  const height = 220;
  const left = 36;
  const bottom = 40;
  const top = Math.max(1, ...days.flatMap((d) => keys.map((k) => d[k])));
  const span = Math.max(days.length - 1, 1);
  const x = (i) => left + ((width - left - 10) * i) / span;
  const y = (v) => height - bottom - ((height - bottom - 10) * v) / top;
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  chart.append(
    svg("line", { x1: left, y1: y(0), x2: width - 10, y2: y(0), stroke: "#888" }),
    svg("line", { x1: left, y1: 10, x2: left, y2: y(0), stroke: "#888" }),
    svg("text", { x: 0, y: y(0) }, "0"),
    svg("text", { x: 0, y: 18 }, String(top)),
  );
  if (days.length) {
    chart.append(
      svg("text", { x: left, y: height - bottom + 16 }, days[0].day),
      svg("text", { x: width - 90, y: height - bottom + 16 }, days[days.length - 1].day),
    );
  }
  keys.forEach((key, index) => {
    const color = COLORS[index % COLORS.length];
    const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`).join(" ");
    chart.append(svg("polyline", { points, fill: "none", stroke: color, "stroke-width": 2 }));
    days.forEach((d, i) => {
      if (d[key]) chart.append(svg("circle", { cx: x(i), cy: y(d[key]), r: 3, fill: color }));
    });
    chart.append(
      svg("rect", { x: left + 140 * index, y: height - 14, width: 12, height: 12, fill: color }),
      svg("text", { x: left + 18 + 140 * index, y: height - 4 }, t(key)),
    );
  });
  return chart;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${Math.round(seconds)} s`;
}

function show(figures) {
  state.figures = figures;
  const tiles = document.getElementById("tiles");
  const legal = figures.legal_requests;
  tiles.replaceChildren(
    ...[
      ["tile.notices", figures.notices.total],
      ["tile.actions", figures.actions.total],
      ["tile.median", duration(figures.time_to_action_s.median)],
      ["tile.p90", duration(figures.time_to_action_s.p90)],
      ["tile.appeals", figures.appeals.total],
      ["tile.legal", legal.references],
    ].map(([key, value]) => {
      const tile = document.createElement("div");
      tile.className = "admin-tile";
      tile.dataset.testid = key;
      const number = document.createElement("strong");
      number.textContent = String(value);
      tile.append(number, document.createTextNode(t(key)));
      return tile;
    }),
  );
  const byKind = Object.keys(figures.actions.by_kind).length ? figures.actions.by_kind : { none: 0 };
  document.getElementById("charts").replaceChildren(
    figure(t("chart.daily"), series(figures.daily, ["notices", "actions"]), "chart-daily"),
    figure(t("chart.category"), bars(figures.notices.by_category), "chart-category"),
    figure(t("chart.source"), bars(figures.notices.by_source), "chart-source"),
    figure(t("chart.actions"), bars(byKind), "chart-actions"),
    figure(
      t("chart.who"),
      bars({ automatic: figures.actions.automatic, human: figures.actions.human }),
      "chart-who",
    ),
    figure(t("chart.appeals"), bars(figures.appeals.outcomes), "chart-appeals"),
    figure(
      t("chart.legal"),
      bars({ exports: legal.exports, holds: legal.holds, searches: legal.searches }),
      "chart-legal",
    ),
  );
  const blob = new Blob([JSON.stringify(figures, null, 2)], { type: "application/json" });
  const link = document.getElementById("download");
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
}

async function load() {
  const form = document.getElementById("period");
  const query = new URLSearchParams({ from: form.from.value, to: form.to.value });
  const response = await fetch(`/api/admin/transparency?${query}`, {
    headers: { authorization: `Bearer ${state.token}` },
  });
  if (response.status === 403) {
    expired();
    return;
  }
  if (response.ok) show(await response.json());
}

function expired() {
  state.token = null;
  document.getElementById("report").hidden = true;
  document.getElementById("rooms").hidden = true;
  document.getElementById("login").hidden = false;
  const error = document.getElementById("login-error");
  error.textContent = t("expired");
  error.hidden = false;
}

async function login(event) {
  event.preventDefault();
  const form = event.target;
  const error = document.getElementById("login-error");
  error.hidden = true;
  const response = await fetch("/api/admin/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: form.name.value,
      password: form.password.value,
      totp: form.totp.value || null,
    }),
  });
  if (!response.ok) {
    error.textContent = t(response.status === 429 ? "login.limited" : "login.refused");
    error.hidden = false;
    return;
  }
  state.token = (await response.json()).token;
  form.password.value = "";
  form.hidden = true;
  document.getElementById("report").hidden = false;
  state.rooms = startRooms({
    token: () => state.token,
    lang: () => state.lang,
    t,
    onExpired: expired,
  });
  await load();
}

function start() {
  const stored = localStorage.getItem("causerie.lang");
  state.lang = stored === "en" || stored === "fr" ? stored : navigator.language?.startsWith("en") ? "en" : "fr";
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 30 * 86400000);
  const period = document.getElementById("period");
  period.to.value = today.toISOString().slice(0, 10);
  period.from.value = monthAgo.toISOString().slice(0, 10);
  document.getElementById("login").addEventListener("submit", login);
  period.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      state.lang = button.dataset.lang;
      localStorage.setItem("causerie.lang", state.lang);
      applyTexts();
    });
  }
  applyTexts();
}

start();
