// The operator's rooms on the admin page: the list with each room's settings, a form to add a
// room or change one, closing (archiving) a room with a reason, and the games each room allows
// (room-games.js). Everything goes through /api/admin/rooms (admins only); a refusal shows the
// server's message beside the form.

import { ROOM_GAMES_TEXTS, startRoomGames } from "./room-games.js";

export const ROOM_TEXTS = {
  fr: {
    "rooms.title": "Salons",
    "rooms.id": "Identifiant",
    "rooms.name": "Nom",
    "rooms.kind": "Type",
    "rooms.audience": "Public",
    "rooms.settings": "Réglages",
    "rooms.actions": "Actions",
    "rooms.add": "Ajouter un salon",
    "rooms.editing": "Modifier le salon",
    "rooms.topic": "Sujet",
    "rooms.pictures": "Photos permises",
    "rooms.slow": "Mode lent (secondes entre deux messages d'une personne, 0 : non)",
    "rooms.limit": "Personnes au plus (0 : sans limite)",
    "rooms.reason": "Motif (journal d'audit)",
    "rooms.owner": "Salon de membre, propriétaire :",
    "rooms.banned": "bannis :",
    "rooms.save": "Enregistrer",
    "rooms.cancel": "Annuler",
    "rooms.edit": "Modifier",
    "rooms.archive": "Fermer",
    "rooms.archive.title": "Fermer le salon",
    "rooms.archive.help":
      "Ses membres en sortent, il disparaît des listes ; ses messages restent soumis aux règles de conservation.",
    "rooms.archive.confirm": "Fermer ce salon",
    "rooms.saved": "Enregistré : les personnes connectées le voient déjà.",
    "rooms.archived": "Salon fermé.",
    "rooms.kind.thematic": "thématique",
    "rooms.kind.regional": "régional",
    "rooms.kind.teen": "ados",
    "rooms.audience.teen": "ados (13-17)",
    "rooms.audience.adult": "adultes",
    "rooms.audience.adult_verified": "adultes vérifiés",
    "rooms.photos": "photos",
    "rooms.nophotos": "sans photos",
    ...ROOM_GAMES_TEXTS.fr,
  },
  en: {
    "rooms.title": "Rooms",
    "rooms.id": "Id",
    "rooms.name": "Name",
    "rooms.kind": "Kind",
    "rooms.audience": "Audience",
    "rooms.settings": "Settings",
    "rooms.actions": "Actions",
    "rooms.add": "Add a room",
    "rooms.editing": "Change the room",
    "rooms.topic": "Topic",
    "rooms.pictures": "Pictures allowed",
    "rooms.slow": "Slow mode (seconds between one person's messages, 0: off)",
    "rooms.limit": "People at most (0: no limit)",
    "rooms.reason": "Reason (audit log)",
    "rooms.owner": "Member room, owner:",
    "rooms.banned": "banned:",
    "rooms.save": "Save",
    "rooms.cancel": "Cancel",
    "rooms.edit": "Change",
    "rooms.archive": "Close",
    "rooms.archive.title": "Close the room",
    "rooms.archive.help":
      "Its members are taken out and it leaves every list; its messages stay under the retention rules.",
    "rooms.archive.confirm": "Close this room",
    "rooms.saved": "Saved: the people connected see it already.",
    "rooms.archived": "Room closed.",
    "rooms.kind.thematic": "thematic",
    "rooms.kind.regional": "regional",
    "rooms.kind.teen": "teen",
    "rooms.audience.teen": "teens (13-17)",
    "rooms.audience.adult": "adults",
    "rooms.audience.adult_verified": "verified adults",
    "rooms.photos": "pictures",
    "rooms.nophotos": "no pictures",
    ...ROOM_GAMES_TEXTS.en,
  },
};

export function startRooms({ token, lang, t, onExpired }) {
  const section = document.getElementById("rooms");
  const form = document.getElementById("room-form");
  const panel = document.getElementById("archive-panel");
  const state = { rooms: [], editing: null, archiving: null };

  async function call(method, path, body) {
    const query = lang() === "en" ? "?lang=en" : "";
    const response = await fetch(`${path}${query}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 403) {
      onExpired();
      return null;
    }
    return { ok: response.ok, data: await response.json() };
  }

  function say(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  function summary(room) {
    const parts = [room.pictures ? t("rooms.photos") : t("rooms.nophotos")];
    // A member room: who owns it and its modes (docs/moderation.md, "Member rooms").
    if (room.owner !== undefined) parts.unshift(`${t("rooms.owner")} ${room.owner || "—"}`);
    const modes = Object.entries(room.modes ?? {}).filter(([name, on]) => on && name !== "topic_locked");
    if (modes.length) parts.push(modes.map(([name]) => name).join(", "));
    if (room.banned?.length) parts.push(`${t("rooms.banned")} ${room.banned.join(", ")}`);
    if (room.slow_mode_s) parts.push(`${room.slow_mode_s} s`);
    if (room.member_limit) parts.push(`≤ ${room.member_limit}`);
    if (room.games?.length) parts.push(`${t("games.in_row")} ${room.games.join(", ")}`);
    if (room.topic) parts.push(room.topic);
    return parts.join(" · ");
  }

  function button(label, testid, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button button-quiet";
    element.textContent = label;
    element.dataset.testid = testid;
    element.addEventListener("click", action);
    return element;
  }

  function render() {
    const rows = state.rooms.map((room) => {
      const row = document.createElement("tr");
      row.dataset.testid = `room-row-${room.id}`;
      const cells = [
        room.id,
        room.name,
        t(`rooms.kind.${room.kind}`),
        t(`rooms.audience.${room.audience}`),
        summary(room),
      ].map((text) => {
        const cell = document.createElement("td");
        cell.textContent = text;
        return cell;
      });
      const actions = document.createElement("td");
      actions.append(
        button(t("rooms.edit"), `room-edit-${room.id}`, () => edit(room)),
        button(t("games.open"), `room-games-${room.id}`, () => games.open(room)),
        button(t("rooms.archive"), `room-archive-${room.id}`, () => askArchive(room)),
      );
      row.append(...cells, actions);
      return row;
    });
    document.getElementById("room-rows").replaceChildren(...rows);
    document.getElementById("room-form-title").textContent = state.editing
      ? `${t("rooms.editing")} ${state.editing}`
      : t("rooms.add");
    games.render();
  }

  async function load() {
    const answer = await call("GET", "/api/admin/rooms");
    if (!answer) return;
    state.rooms = answer.data.rooms;
    render();
  }

  function edit(room) {
    state.editing = room.id;
    form.elements.id.value = room.id;
    form.elements.id.disabled = true;
    form.elements.name.value = room.name;
    form.elements.topic.value = room.topic;
    form.elements.kind.value = room.kind;
    form.elements.audience.value = room.audience;
    form.elements.pictures.checked = room.pictures;
    form.elements.slow_mode_s.value = String(room.slow_mode_s);
    form.elements.member_limit.value = String(room.member_limit);
    form.elements.reason.value = "";
    document.getElementById("room-cancel").hidden = false;
    render();
    form.elements.name.focus();
  }

  function reset() {
    state.editing = null;
    form.reset();
    form.elements.id.disabled = false;
    document.getElementById("room-cancel").hidden = true;
    render();
  }

  async function save(event) {
    event.preventDefault();
    const error = document.getElementById("room-error");
    const status = document.getElementById("room-status");
    say(error, "");
    say(status, "");
    const fields = form.elements;
    const body = {
      name: fields.name.value,
      topic: fields.topic.value,
      kind: fields.kind.value,
      audience: fields.audience.value,
      pictures: fields.pictures.checked,
      slow_mode_s: Number(fields.slow_mode_s.value || 0),
      member_limit: Math.trunc(Number(fields.member_limit.value || 0)),
      reason: fields.reason.value,
    };
    const answer = state.editing
      ? await call("PATCH", `/api/admin/rooms/${encodeURIComponent(state.editing)}`, body)
      : await call("POST", "/api/admin/rooms", { id: fields.id.value, ...body });
    if (!answer) return;
    if (!answer.ok) {
      say(error, answer.data.message);
      const field = answer.data.field && fields[answer.data.field];
      if (field && field.focus) field.focus();
      return;
    }
    reset();
    say(status, t("rooms.saved"));
    await load();
  }

  function askArchive(room) {
    state.archiving = room.id;
    document.getElementById("archive-name").textContent = `${room.name} (#${room.id})`;
    panel.hidden = false;
    document.getElementById("archive-reason").focus();
  }

  async function archive(event) {
    event.preventDefault();
    const error = document.getElementById("archive-error");
    say(error, "");
    const reason = document.getElementById("archive-reason").value;
    const path = `/api/admin/rooms/${encodeURIComponent(state.archiving)}/archive`;
    const answer = await call("POST", path, { reason });
    if (!answer) return;
    if (!answer.ok) {
      say(error, answer.data.message);
      return;
    }
    panel.hidden = true;
    panel.reset();
    say(document.getElementById("room-status"), t("rooms.archived"));
    await load();
  }

  const games = startRoomGames({
    call,
    say,
    t,
    onSaved: async (text) => {
      say(document.getElementById("room-status"), text);
      await load();
    },
  });
  form.addEventListener("submit", save);
  document.getElementById("room-cancel").addEventListener("click", reset);
  panel.addEventListener("submit", archive);
  document.getElementById("archive-cancel").addEventListener("click", () => {
    panel.hidden = true;
    panel.reset();
  });
  section.hidden = false;
  load();
  return { render };
}
