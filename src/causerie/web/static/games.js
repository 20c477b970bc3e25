// Games on the web (docs/games.md), apart from the controller: a game's message is drawn from
// its `game {name, view}` under its text (views/game-views.js), the newest one of each game
// counting down and taking a board's clicks; a room's leaderboard ("Scores" in its header,
// from `scores` frames); "Jouer à…" on a person's card, which opens the private conversation
// and types the invitation there (`!morpion`, `!puissance4`), and the invitation shown to the
// invitee with "Accepter" / "Refuser", which type `!oui` / `!non`. Everything a player does
// here is a line of text in the conversation, exactly what an IRC player would type.

import "./games-texts.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { boardOfText, duelConversation, isDuelRunning } from "./duel-notices.js";
import { dmKey, roomKey } from "./state.js";
import { drawsKind, gameNode, tickCountdown } from "./views/game-views.js";
import { LeaderboardView } from "./views/leaderboard.js";

/** The games played by two, as their invitation is typed: `!name`. */
export const DUELS = Object.freeze(["morpion", "puissance4"]);
const DUEL_ALIASES = { tictactoe: "morpion", p4: "puissance4", puissance: "puissance4" };
/** The period each leaderboard tab asks for, as the node's `!top` words it (docs/protocol.md). */
const WIRE_PERIODS = { today: "jour", week: "semaine", all: "tout" };
const TAB_OF_PERIOD = {
  jour: "today",
  day: "today",
  today: "today",
  semaine: "week",
  week: "week",
  tout: "all",
  all: "all",
};
/** Who games speak as (docs/games.md, "Running games"). */
const GAME_VOICE = Object.freeze({ nick: "Jeux" });
const ANSWERS = new Set(["!oui", "!non"]);
const TICK_MS = 1000;

/** The duel a line invites to (`!morpion`, `!p4`…), or null. */
export function duelOf(text) {
  const word = String(text ?? "").trim().toLowerCase();
  if (!word.startsWith("!") || word.includes(" ")) return null;
  const name = word.slice(1);
  const duel = DUEL_ALIASES[name] ?? name;
  return DUELS.includes(duel) ? duel : null;
}

const SVG = "http://www.w3.org/2000/svg";
const TROPHY =
  "M7 3h10v2h3v3a4 4 0 0 1-4 4h-.4A5 5 0 0 1 13 14.9V18h3v3H8v-3h3v-3.1A5 5 0 0 1 8.4 12H8a4 4 0 0 1-4-4V5h3V3zm10 4v3a2 2 0 0 0 1-1.7V7h-1zM7 7H6v1.3A2 2 0 0 0 7 10V7z";

/** The header's trophy, drawn like the other header icons (no emoji font needed). */
function trophyIcon() {
  const icon = document.createElementNS(SVG, "svg");
  const attrs = { class: "icon", viewBox: "0 0 24 24", width: 18, height: 18 };
  for (const [name, value] of Object.entries(attrs)) icon.setAttribute(name, String(value));
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", TROPHY);
  path.setAttribute("fill", "currentColor");
  icon.append(path);
  return icon;
}

export class Games {
  #app;
  #ticker = null;
  #localSeq = 0; // orders a duel's lines that came as notices (they have no message id)
  #newestGameLine = null; // the newest game line of the leaderboard's room, last asked after

  /** app: the controller (state, request(), send(text), openDm(user), profileCard, render()). */
  constructor(app) {
    this.#app = app;
    this.leaderboard = new LeaderboardView({
      onPeriod: (room, period) =>
        app.request("scores", { room: room.id, period: WIRE_PERIODS[period] ?? period }),
    });
    this.scoresButton = el(
      "button",
      {
        type: "button",
        className: "button button-quiet action-button scores-open",
        testid: "scores-open",
        hidden: true,
        attrs: { "aria-haspopup": "dialog" },
        on: { click: (event) => this.openScores(event.currentTarget) },
      },
      trophyIcon(),
      el("span", { className: "action-label", text: t("scores.open") }),
    );
    const leave = document.getElementById("leave");
    leave?.parentNode?.insertBefore(this.scoresButton, leave);
  }

  /** A `scores` frame (the answer to the leaderboard's request); false for any other. */
  onFrame(frame) {
    if (frame.type !== "scores") return false;
    this.#app.takeRequest(frame.re);
    this.leaderboard.scores({ ...frame, period: TAB_OF_PERIOD[frame.period] ?? frame.period });
    return true;
  }

  /**
   * A game's notice (a duel's line to each of its two players, `key: "game"`): shown in the
   * private conversation with the other player, drawn from its `game` when it has one; false
   * when it belongs to no conversation here (it is then an ordinary notice).
   */
  onNotice(frame) {
    // Game notices say so (`key: "game"`, or `game`); today's duel boards are information
    // notices whose text holds the board, told apart by reading it (duel-notices.js).
    const isGame = frame.key === "game" || Boolean(frame.game);
    if (!isGame && (frame.kind !== "info" || !boardOfText(frame.text))) return false;
    const state = this.#app.state;
    let game = frame.game && typeof frame.game === "object" ? frame.game : null;
    let text = String(frame.text ?? "");
    let conversation = null;
    // A duel's notice names the other player (`about`); a board names its two players. A room
    // game's word to one player (Yams' view lists the whole table) names nobody: a banner.
    const isBoard = game?.view?.kind === "board";
    const players = isBoard && Array.isArray(game.view.players) ? game.view.players.map(String) : [];
    const others = [frame.about, ...players].filter(
      (nick) => typeof nick === "string" && nick && !state.isMe(nick),
    );
    if (others.length && (!players.length || players.some((nick) => state.isMe(nick)))) {
      conversation = state.get(dmKey(others[0])) ?? state.openDm({ nick: others[0] });
    } else if (!game) {
      // Today's duel notices: the board in the text, the conversation unnamed (duel-notices.js).
      const duel = duelConversation(state, (line) => duelOf(line) !== null);
      const view = duel ? boardOfText(text, duel.players) : null;
      if (view) {
        game = { name: view.game, view };
        conversation = duel.conversation;
      } else if (duel && isGame && isDuelRunning(duel.conversation)) {
        conversation = duel.conversation;
      }
    }
    if (!conversation) return false;
    // A board drawn takes the place of the text board IRC players read.
    if (game?.view?.kind === "board" && boardOfText(text)) text = text.split("\n")[0];
    const last = conversation.messages.findLast((entry) => entry.id !== undefined && entry.id !== null);
    this.#localSeq += 1;
    const now = Date.now();
    conversation.add({
      from: GAME_VOICE,
      text,
      ts: now,
      arrivedMs: now,
      ...(game ? { game } : {}),
      anchor: last ? last.id : 0,
      seq: 1_000_000 + this.#localSeq,
    });
    if (!this.#app.isSeeing(conversation)) conversation.unread += 1;
    this.#app.render();
    return true;
  }

  openScores(trigger) {
    const conversation = this.#app.state.active;
    if (conversation?.kind !== "room") return;
    this.#newestGameLine = conversation.messages.findLast((message) => message.game)?.id ?? null;
    this.leaderboard.open({ id: conversation.id, name: conversation.title }, trigger);
  }

  /**
   * Whether a room plays games: the room object's `games` (docs/protocol.md) names some, kept
   * current by `room_updated`; or a game spoke there (its scores stay worth a look after the
   * games were turned off).
   */
  hasGames(conversation) {
    if (conversation?.kind !== "room") return false;
    const games = this.#app.state.room(conversation.id)?.games;
    if (Array.isArray(games) && games.length > 0) return true;
    return conversation.messages.some((message) => message.game);
  }

  /** After the views rendered: the header's "Scores", and the countdowns on screen. */
  render() {
    const conversation = this.#app.state.active;
    this.scoresButton.hidden = !this.hasGames(conversation);
    this.scoresButton.querySelector(".action-label").textContent = t("scores.open");
    if (this.leaderboard.isOpen) this.#refreshScores();
    this.#tick();
  }

  /** The leaderboard on screen follows its room: a new game line there asks for it again. */
  #refreshScores() {
    const room = this.leaderboard.room;
    const conversation = room ? this.#app.state.get(roomKey(room.id)) : null;
    const newest = conversation?.messages.findLast((message) => message.game)?.id ?? null;
    if (newest !== this.#newestGameLine) {
      this.#newestGameLine = newest;
      this.leaderboard.refresh();
    }
    this.leaderboard.render();
  }

  /**
   * What a message adds under its text, for conversation.js: {signature, node()} or null. A
   * game's view; or, in a private conversation, an invitation to a duel from the other person
   * still unanswered (Accepter / Refuser).
   */
  lookOf(conversation, message) {
    if (message.deleted) return null;
    const game = message.game;
    if (game && typeof game === "object" && drawsKind(game.view?.kind)) {
      const isLive = this.#isNewest(conversation, message, (other) => other.game?.name === game.name);
      const me = this.#app.state.me?.nick ?? "";
      return {
        signature: `game:${isLive}:${me}`,
        node: () =>
          gameNode(game, {
            isLive,
            me,
            deadlineAt: (deadlineMs) => deadlineMs - message.ts + (message.arrivedMs ?? message.ts),
            onMove: (text) => this.#app.send(text),
          }),
      };
    }
    const duel = conversation.kind === "dm" && message.from ? duelOf(message.text) : null;
    if (!duel || this.#app.state.isMine(message)) return null;
    const isOpen = this.#isUnanswered(conversation, message);
    return {
      signature: `invite:${duel}:${isOpen}`,
      node: () => (isOpen ? this.#invitation(message.from.nick, duel) : null),
    };
  }

  /**
   * "Jouer à…" on `user`'s card: Morpion or Puissance 4, in our private conversation. Folded
   * behind one button on the card that opens; `isExpanded` (the card beside a private
   * conversation, drawn again at every change) shows the choices at once.
   */
  playAction(user, { isExpanded = false } = {}) {
    const state = this.#app.state;
    if (state.isMe(user.nick) || state.isBlocked(user.nick)) return null;
    if (user.nick === GAME_VOICE.nick) return null; // the games' own voice plays with nobody
    const choices = el(
      "div",
      {
        className: "play-picker",
        hidden: !isExpanded,
        attrs: { role: "group", "aria-label": t("game.play.with", user) },
      },
      DUELS.map((duel) =>
        el("button", {
          type: "button",
          className: "button button-primary",
          testid: `play-${duel}`,
          text: t(`game.${duel}`),
          on: { click: () => this.invite(user, duel) },
        }),
      ),
    );
    if (isExpanded) {
      return el(
        "div",
        { className: "profile-play", testid: "profile-play" },
        el("p", { className: "play-label", text: t("game.play") }),
        choices,
      );
    }
    const open = el("button", {
      type: "button",
      className: "button button-quiet",
      testid: "profile-play",
      text: t("game.play"),
      attrs: { "aria-expanded": "false" },
      on: {
        click: () => {
          choices.hidden = !choices.hidden;
          open.setAttribute("aria-expanded", String(!choices.hidden));
          if (!choices.hidden) choices.querySelector("button")?.focus();
        },
      },
    });
    return el("div", { className: "profile-play" }, open, choices);
  }

  /** Invite `user` to `duel`: our private conversation, and `!duel` typed in it. */
  invite(user, duel) {
    const app = this.#app;
    app.profileCard.close();
    app.openDm(user);
    app.send(`!${duel}`);
  }

  #invitation(nick, duel) {
    const answer = (text) => () => {
      const app = this.#app;
      if (app.state.active?.id !== nick) app.openDm({ nick });
      app.send(text);
    };
    return el(
      "div",
      { className: "game-invite", testid: "game-invite", attrs: { role: "group" } },
      el("p", { className: "game-invite-text", text: t("game.invite.text", { nick, game: t(`game.${duel}`) }) }),
      el("button", {
        type: "button",
        className: "button button-primary",
        testid: "game-invite-accept",
        text: t("game.invite.accept"),
        on: { click: answer("!oui") },
      }),
      el("button", {
        type: "button",
        className: "button button-quiet",
        testid: "game-invite-decline",
        text: t("game.invite.decline"),
        on: { click: answer("!non") },
      }),
    );
  }

  /** Whether no message matching `isSame` comes after `message` in the conversation. */
  #isNewest(conversation, message, isSame) {
    const messages = conversation.messages;
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      if (messages[i] === message) return true;
      if (isSame(messages[i])) return false;
    }
    return false;
  }

  /** An invitation nobody answered yet: no `!oui`/`!non`, game or new invitation after it. */
  #isUnanswered(conversation, message) {
    return this.#isNewest(
      conversation,
      message,
      (other) =>
        Boolean(other.game) ||
        ANSWERS.has(String(other.text ?? "").trim().toLowerCase()) ||
        duelOf(other.text) !== null,
    );
  }

  /** Count down every live countdown on screen; stop ticking once none is left. */
  #tick() {
    const now = Date.now();
    let isRunning = false;
    for (const node of document.querySelectorAll(".game-countdown:not(.is-over)")) {
      isRunning = tickCountdown(node, now) || isRunning;
    }
    if (isRunning && this.#ticker === null) {
      this.#ticker = setInterval(() => this.#tick(), TICK_MS);
    } else if (!isRunning && this.#ticker !== null) {
      clearInterval(this.#ticker);
      this.#ticker = null;
    }
  }
}
