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

const SVG = "http://www.w3.org/2000/svg";
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
/** Motus marks as games may spell them, to the three the grid shows. */
const MOTUS_MARKS = {
  well: "well",
  placed: "well",
  correct: "well",
  good: "well",
  "=": "well",
  misplaced: "misplaced",
  present: "misplaced",
  "+": "misplaced",
  "?": "misplaced",
};
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

/** A countdown to `deadline` (epoch ms on this device); games.js ticks it every second. */
export function countdownNode(deadline) {
  const node = el("span", {
    className: "game-countdown",
    testid: "game-countdown",
    dataset: { deadlineAt: String(Math.round(deadline)) },
    attrs: { role: "timer" },
  });
  tickCountdown(node, Date.now());
  return node;
}

/** Set a countdown's text for `now`: "12 s", then "Temps écoulé". */
export function tickCountdown(node, now) {
  const left = Math.ceil((Number(node.dataset.deadlineAt) - now) / 1000);
  const isOver = !(left > 0);
  node.textContent = isOver ? t("game.time_up") : t("game.seconds_left", { n: left });
  node.classList.toggle("is-over", isOver);
  node.classList.toggle("is-short", !isOver && left <= 5);
  return !isOver;
}

function chip(text, className = "game-chip", testid = undefined) {
  return el("span", { className, testid, text: String(text) });
}

function liveCountdown(view, options) {
  const deadline = Number(view.deadline_ms);
  if (!options.isLive || !Number.isFinite(deadline) || view.is_open === false) return null;
  return countdownNode(options.deadlineAt(deadline));
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

/** A game's final ranking: [{nick, points}], best first. */
function rankingNode(ranking) {
  return el(
    "ol",
    { className: "game-ranking", testid: "game-ranking" },
    ranking.map((row) =>
      el(
        "li",
        { className: "game-ranking-row" },
        el("span", { className: "game-ranking-nick", text: String(row?.nick ?? "") }),
        " ",
        el("span", { className: "game-ranking-points", text: t("scores.points", { n: Number(row?.points) || 0 }) }),
      ),
    ),
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

function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
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

/** A motus mark as this grid shows it: "well", "misplaced" or "absent". */
export function motusMark(mark) {
  return MOTUS_MARKS[String(mark).toLowerCase()] ?? "absent";
}

function motusTries(view) {
  const raw = view.rows ?? view.tries;
  const tries = Array.isArray(raw) ? raw : [];
  return tries.map((tried) => {
    if (typeof tried === "string") return { word: tried, marks: [], nick: "" };
    const word = String(tried?.word ?? "");
    const marks = Array.isArray(tried?.marks) ? tried.marks : String(tried?.marks ?? "").split("");
    return { word, marks, nick: String(tried?.nick ?? "") };
  });
}

function motusNode(view) {
  const tries = motusTries(view);
  const length = Number(view.length) || Math.max(0, ...tries.map((tried) => tried.word.length));
  const maxTries = Math.max(tries.length, Number(view.max_tries) || 0);
  const rows = [];
  for (let row = 0; row < maxTries; row += 1) {
    const tried = tries[row];
    const cells = [];
    for (let col = 0; col < length; col += 1) {
      if (tried) {
        const mark = motusMark(tried.marks[col]);
        const letter = tried.word[col] ?? "";
        cells.push(
          el("span", {
            className: `motus-cell motus-${mark}`,
            testid: "motus-cell",
            dataset: { mark },
            text: letter,
            attrs: { role: "cell", "aria-label": `${letter} : ${t(`game.motus.${mark}`)}` },
          }),
        );
      } else {
        // The next try starts from what is known: the first letter, and the letters found.
        const known = String(view.known ?? view.first ?? "")[col] ?? "";
        const given = row === tries.length && known !== "_" ? known : "";
        cells.push(el("span", { className: "motus-cell motus-empty", text: given, attrs: { role: "cell" } }));
      }
    }
    cells.push(
      el("span", {
        className: "motus-nick",
        text: tried?.nick ?? "",
        attrs: { role: "cell" },
      }),
    );
    rows.push(el("div", { className: "motus-row", testid: tried ? "motus-row" : undefined, attrs: { role: "row" } }, cells));
  }
  const grid = el(
    "div",
    {
      className: "motus-grid",
      testid: "motus-grid",
      attrs: { role: "table", "aria-label": t("game.motus.label", { n: length }) },
    },
    rows,
  );
  grid.style.setProperty("--motus-cols", String(Math.max(1, length)));
  return el(
    "div",
    { className: "game-motus-card" },
    grid,
    el(
      "p",
      { className: "motus-legend" },
      ["well", "misplaced", "absent"].map((mark) =>
        el(
          "span",
          { className: "motus-legend-item" },
          el("span", { className: `motus-swatch motus-${mark}`, attrs: { "aria-hidden": "true" } }),
          t(`game.motus.${mark}`),
        ),
      ),
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
    view.best !== undefined && view.best !== null
      ? el("p", { className: "game-best", text: t("game.numbers.best", { n: view.best }) })
      : null,
  );
}

function lettersNode(view, options) {
  const raw = view.letters ?? view.draw ?? "";
  const letters = Array.isArray(raw) ? raw.map(String) : String(raw).split("");
  return el(
    "div",
    { className: "game-letters-card" },
    el(
      "div",
      { className: "game-tiles", testid: "game-tiles" },
      letters.map((letter) => chip(letter, "game-tile game-letter")),
    ),
    el("div", { className: "game-row" }, liveCountdown(view, options)),
    view.best ? el("p", { className: "game-best", text: t("game.letters.best", { word: view.best }) }) : null,
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

function diceNode(view) {
  const dice = Array.isArray(view.dice) ? view.dice : [];
  const held = new Set(Array.isArray(view.held) ? view.held.map(Number) : []);
  return el(
    "div",
    { className: "game-dice-card" },
    view.player ? chip(view.player, "game-chip game-chip-strong", "game-player") : null,
    el("div", { className: "game-dice", testid: "game-dice" }, dice.map((value, i) => dieNode(value, held.has(i)))),
    view.combo || view.combination
      ? chip(view.combo ?? view.combination, "game-chip", "game-combo")
      : null,
  );
}
