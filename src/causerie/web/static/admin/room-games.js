// The games of one room on the admin page ("Jeux de ce salon"): the room games it may allow,
// a checkbox each, ticked for those it allows (GET /api/admin/rooms/{room}/games), saved with
// PUT. The server checks every name (a game unknown or not for this room's audience is
// refused, field `games`): its readable message is shown in the panel. A change is audited
// and reaches the people connected at once (docs/games.md, "Which games run where").

export const ROOM_GAMES_TEXTS = {
  fr: {
    "games.open": "Jeux",
    "games.title": "Jeux de ce salon",
    "games.help":
      "Cochez les jeux que l'on peut lancer dans ce salon (!jeux y donne la liste) ; aucun coché : pas de jeu.",
    "games.none": "Aucun jeu ne convient à ce salon.",
    "games.save": "Enregistrer les jeux",
    "games.saved": "Jeux enregistrés pour {room} : {games}.",
    "games.nothing": "aucun",
    "games.in_row": "jeux :",
  },
  en: {
    "games.open": "Games",
    "games.title": "Games of this room",
    "games.help":
      "Tick the games people may start in this room (!jeux lists them there); none ticked: no games.",
    "games.none": "No game suits this room.",
    "games.save": "Save the games",
    "games.saved": "Games saved for {room}: {games}.",
    "games.nothing": "none",
    "games.in_row": "games:",
  },
};

/**
 * The panel `#games-panel`. `call(method, path, body)` is the rooms page's request (null
 * after a 403); `say(element, text)` shows or hides a line; `onSaved(text)` runs after a save.
 */
export function startRoomGames({ call, say, t, onSaved }) {
  const panel = document.getElementById("games-panel");
  const list = document.getElementById("games-list");
  const error = document.getElementById("games-error");
  const state = { room: null, available: [], games: [] };
  const path = (room) => `/api/admin/rooms/${encodeURIComponent(room.id)}/games`;

  function render() {
    if (!state.room) return;
    document.getElementById("games-name").textContent = `${state.room.name} (#${state.room.id})`;
    const boxes = state.available.map((game) => {
      const label = document.createElement("label");
      label.className = "admin-check admin-game";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "games";
      box.value = game.name;
      box.checked = state.games.includes(game.name);
      box.dataset.testid = `game-${game.name}`;
      const name = document.createElement("strong");
      name.textContent = `${game.title} (!${game.name})`;
      const summary = document.createElement("span");
      summary.className = "admin-game-summary";
      summary.textContent = game.summary;
      label.append(box, name, summary);
      return label;
    });
    if (!boxes.length) {
      const empty = document.createElement("p");
      empty.textContent = t("games.none");
      boxes.push(empty);
    }
    list.replaceChildren(...boxes);
  }

  async function open(room) {
    say(error, "");
    const answer = await call("GET", path(room));
    if (!answer) return;
    if (!answer.ok) {
      say(error, answer.data.message);
      return;
    }
    Object.assign(state, { room, available: answer.data.available, games: answer.data.games });
    panel.elements.reason.value = "";
    render();
    panel.hidden = false;
    (list.querySelector("input") ?? panel.elements.reason).focus();
  }

  function close() {
    state.room = null;
    panel.hidden = true;
    say(error, "");
  }

  async function save(event) {
    event.preventDefault();
    say(error, "");
    const room = state.room;
    const games = [...list.querySelectorAll("input:checked")].map((box) => box.value);
    const answer = await call("PUT", path(room), { games, reason: panel.elements.reason.value });
    if (!answer) return;
    if (!answer.ok) {
      say(error, answer.data.message);
      return;
    }
    const saved = answer.data.games.join(", ") || t("games.nothing");
    close();
    onSaved(t("games.saved").replace("{room}", room.name).replace("{games}", saved));
  }

  panel.addEventListener("submit", save);
  document.getElementById("games-cancel").addEventListener("click", close);
  return { open, render };
}
