// What a game's message looks like on the web, drawn from its `view` (docs/games.md): the text
// stays above it, as IRC shows it, and this adds the picture under it. One drawing per
// `view.kind`; a kind this client does not know draws nothing (the text says it all).
//
// Pure DOM from data: everything a game sends is shown through textContent and attributes,
// never HTML. `options.isLive` is true for the newest message of its game in the conversation:
// only that one counts down and takes clicks (an older board is a picture of the past).
// Two-player boards live in game-boards.js.

import "../games-texts.js";
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { boardNode } from "./game-boards.js";
import { chip, liveCountdown, rankingNode, svgNode } from "./game-parts.js";
import { blindNode, chainNode, lettersNode, motusNode } from "./game-words.js";

export { countdownNode, tickCountdown } from "./game-parts.js";
export { motusMark } from "./game-words.js";

/** The hangman's body, drawn part by part as misses grow (the gallows are always there). */
const BODY_PARTS = [
  ["circle", { cx: 70, cy: 38, r: 10 }],
  ["line", { x1: 70, y1: 48, x2: 70, y2: 82 }],
  ["line", { x1: 70, y1: 56, x2: 56, y2: 70 }],
  ["line", { x1: 70, y1: 56, x2: 84, y2: 70 }],
  ["line", { x1: 70, y1: 82, x2: 58, y2: 102 }],
  ["line", { x1: 70, y1: 82, x2: 82, y2: 102 }],
];
const GALLOWS = [
  ["line", { x1: 10, y1: 114, x2: 100, y2: 114 }],
  ["line", { x1: 28, y1: 114, x2: 28, y2: 8 }],
  ["line", { x1: 28, y1: 8, x2: 70, y2: 8 }],
  ["line", { x1: 28, y1: 26, x2: 46, y2: 8 }],
  ["line", { x1: 70, y1: 8, x2: 70, y2: 28 }],
];
/** Dice pips on a 3×3 grid (0 top-left … 8 bottom-right), per face. */
const PIPS = { 1: [4], 2: [0, 8], 3: [0, 4, 8], 4: [0, 2, 6, 8], 5: [0, 2, 4, 6, 8], 6: [0, 2, 3, 5, 6, 8] };

const DRAWINGS = {
  guess: guessNode,
  quiz: quizNode,
  hangman: hangmanNode,
  motus: motusNode,
  numbers: numbersNode,
  letters: lettersNode,
  dice: diceNode,
  board: boardNode,
  chain: chainNode,
  blind: blindNode,
};

/** Whether this client draws views of `kind`. */
export function drawsKind(kind) {
  return Object.hasOwn(DRAWINGS, kind);
}

/**
 * The drawing of a game's `view`, or null when there is none to draw. options: isLive (the
 * newest of its game here), deadlineAt(ms) (a game's deadline as this device's clock reads it),
 * me (my nickname), onMove(text) (a board's move, sent as typing it would).
 */
export function gameNode(game, options = {}) {
  const view = game?.view;
  if (!view || typeof view !== "object" || !drawsKind(view.kind)) return null;
  const drawing = DRAWINGS[view.kind](view, { deadlineAt: (ms) => ms, ...options });
  if (!drawing) return null;
  return el(
    "div",
    {
      className: `game game-${view.kind}`,
      testid: "game-view",
      dataset: { kind: view.kind, game: String(game.name ?? "") },
    },
    drawing,
  );
}

function guessNode(view) {
  const low = Number(view.low);
  const high = Number(view.high);
  return el(
    "div",
    { className: "game-row" },
    chip(t("game.guess.range", { low, high }), "game-chip game-chip-strong", "game-range"),
    chip(t("game.guess.count", { n: Number(view.guesses) || 0 }), "game-chip", "game-guesses"),
  );
}

function quizNode(view, options) {
  if (Array.isArray(view.ranking)) return view.ranking.length ? rankingNode(view.ranking) : null;
  const number = Number(view.number);
  const total = Number(view.total);
  return el(
    "div",
    { className: "game-quiz-card" },
    el(
      "div",
      { className: "game-row" },
      view.category ? chip(view.category, "game-chip game-chip-strong", "game-category") : null,
      number && total ? chip(t("game.quiz.number", { n: number, total }), "game-chip", "game-number") : null,
      liveCountdown(view, options),
    ),
    view.question ? el("p", { className: "game-question", testid: "game-question", text: view.question }) : null,
    view.hint
      ? el(
          "p",
          { className: "game-hint", testid: "game-hint" },
          el("strong", { text: t("game.quiz.hint") }),
          " ",
          el("span", { className: "game-letters-inline", text: String(view.hint) }),
        )
      : null,
  );
}

/** How many of the body's parts `misses` out of `maxMisses` draw (all of them at the end). */
export function hangmanParts(misses, maxMisses) {
  const max = Math.max(1, Number(maxMisses) || BODY_PARTS.length);
  const done = Math.min(Math.max(0, Number(misses) || 0), max);
  return Math.ceil((done * BODY_PARTS.length) / max);
}

function hangmanNode(view) {
  const misses = Math.max(0, Number(view.misses) || 0);
  const max = Math.max(1, Number(view.max_misses) || BODY_PARTS.length);
  const shown = hangmanParts(misses, max);
  const label = t("game.hangman.label", { n: misses, max });
  const drawing = svgNode("svg", {
    viewBox: "0 0 110 120",
    width: 110,
    height: 120,
    class: "game-gallows",
    role: "img",
    "aria-label": label,
    "data-testid": "game-gallows",
    "data-parts": shown,
  });
  for (const [tag, attrs] of GALLOWS) drawing.append(svgNode(tag, { ...attrs, class: "gallows" }));
  for (const [tag, attrs] of BODY_PARTS.slice(0, shown)) {
    drawing.append(svgNode(tag, { ...attrs, class: "body-part" }));
  }
  const wrong = Array.isArray(view.wrong) ? view.wrong.map(String) : [];
  return el(
    "div",
    { className: "game-hangman-card" },
    drawing,
    el(
      "div",
      { className: "game-hangman-side" },
      el("p", {
        className: "game-mask",
        testid: "game-mask",
        text: String(view.mask ?? "").split("").join(" "),
        attrs: { "aria-label": t("game.hangman.mask", { mask: String(view.mask ?? "") }) },
      }),
      el("p", { className: "game-misses", testid: "game-misses", text: label }),
      wrong.length
        ? el(
            "p",
            { className: "game-wrong" },
            el("span", { className: "game-wrong-label", text: t("game.hangman.wrong") }),
            " ",
            el("span", { className: "game-wrong-letters", testid: "game-wrong", text: wrong.join(" ") }),
          )
        : null,
    ),
  );
}

function numbersNode(view, options) {
  const plaques = view.plaques ?? view.numbers ?? view.tiles ?? [];
  return el(
    "div",
    { className: "game-numbers-card" },
    el(
      "div",
      { className: "game-row" },
      el(
        "span",
        { className: "game-target", testid: "game-target" },
        el("span", { className: "game-target-label", text: t("game.numbers.target") }),
        " ",
        el("strong", { text: String(view.target ?? "") }),
      ),
      liveCountdown(view, options),
    ),
    el(
      "div",
      { className: "game-tiles", testid: "game-tiles" },
      (Array.isArray(plaques) ? plaques : []).map((n) => chip(n, "game-tile game-plaque")),
    ),
    bestNode(view.best),
  );
}

/** Le compte est bon's best count so far: {nick, value, text}. */
function bestNode(best) {
  if (!best || typeof best !== "object") return null;
  return el(
    "p",
    { className: "game-best", testid: "game-best" },
    t("game.numbers.best", { n: Number(best.value) || 0, nick: String(best.nick ?? "") }),
    best.text ? el("span", { className: "game-letters-inline", text: ` ${best.text}` }) : null,
  );
}

function dieNode(value, isHeld) {
  const face = Math.min(6, Math.max(1, Math.round(Number(value)) || 1));
  const drawing = svgNode("svg", {
    viewBox: "0 0 30 30",
    width: 40,
    height: 40,
    class: `game-die${isHeld ? " is-held" : ""}`,
    role: "img",
    "aria-label": t(isHeld ? "game.dice.held" : "game.dice.face", { n: face }),
    "data-testid": "game-die",
    "data-face": face,
  });
  drawing.append(svgNode("rect", { x: 1, y: 1, width: 28, height: 28, rx: 5, class: "die-body" }));
  for (const pip of PIPS[face]) {
    const cx = 7.5 + (pip % 3) * 7.5;
    const cy = 7.5 + Math.floor(pip / 3) * 7.5;
    drawing.append(svgNode("circle", { cx, cy, r: 2.6, class: "die-pip" }));
  }
  return drawing;
}

/** Dice (Yams): whose turn and which roll, the dice, each player's total so far. */
function diceNode(view) {
  const dice = Array.isArray(view.dice) ? view.dice : [];
  const held = new Set(Array.isArray(view.held) ? view.held.map(Number) : []);
  const player = view.turn ?? view.player;
  const totals = view.totals && typeof view.totals === "object" ? Object.entries(view.totals) : [];
  const roll = Number(view.roll);
  const maxRolls = Number(view.max_rolls);
  return el(
    "div",
    { className: "game-dice-card" },
    el(
      "div",
      { className: "game-row" },
      player ? chip(t("game.dice.turn", { nick: String(player) }), "game-chip game-chip-strong", "game-player") : null,
      roll && maxRolls ? chip(t("game.dice.roll", { n: roll, max: maxRolls }), "game-chip", "game-roll") : null,
    ),
    dice.length
      ? el("div", { className: "game-dice", testid: "game-dice" }, dice.map((value, i) => dieNode(value, held.has(i))))
      : null,
    totals.length
      ? el(
          "p",
          { className: "game-totals", testid: "game-totals" },
          totals.map(([nick, points]) =>
            el(
              "span",
              { className: "game-chip" },
              el("span", { className: "game-ranking-nick", text: nick }),
              ` ${Number(points) || 0}`,
            ),
          ),
        )
      : null,
  );
}
