// Word games drawn from their `view`: Motus' grid (well placed, misplaced, absent), le mot le
// plus long's letters and proposals, the word chain, and the blind test's clues. See
// game-views.js for how a view reaches these.

import "../games-texts.js";
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { chip, liveCountdown, rankingNode } from "./game-parts.js";

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

export function motusNode(view) {
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

export function lettersNode(view, options) {
  const raw = view.letters ?? view.draw ?? "";
  const letters = Array.isArray(raw) ? raw.map(String) : String(raw).split("");
  const proposals = Array.isArray(view.proposals) ? view.proposals : [];
  const longest = Array.isArray(view.longest) ? view.longest.map(String) : [];
  return el(
    "div",
    { className: "game-letters-card" },
    el(
      "div",
      { className: "game-tiles", testid: "game-tiles" },
      letters.map((letter) => chip(letter, "game-tile game-letter")),
      liveCountdown(view, options),
    ),
    proposals.length
      ? el(
          "ol",
          { className: "game-ranking", testid: "game-proposals" },
          proposals.map((proposal) =>
            el(
              "li",
              {},
              el("span", { className: "game-ranking-nick", text: String(proposal?.nick ?? "") }),
              " ",
              el("span", {
                className: "game-ranking-points",
                text: proposal?.word
                  ? `${proposal.word} (${t("game.letters.length", { n: Number(proposal.length) || 0 })})`
                  : t("game.letters.length", { n: Number(proposal?.length) || 0 }),
              }),
            ),
          ),
        )
      : null,
    longest.length
      ? el("p", { className: "game-best", text: t("game.letters.best", { word: longest.join(", ") }) })
      : null,
  );
}

/** La chaîne de mots: the last word, the letter the next one starts with, the recent words. */
export function chainNode(view) {
  const recent = Array.isArray(view.recent) ? view.recent.map(String) : [];
  return el(
    "div",
    { className: "game-chain-card" },
    el(
      "p",
      { className: "game-chain", testid: "game-chain" },
      recent.map((word, index) =>
        el("span", {
          className: `game-chain-word${index === recent.length - 1 ? " is-last" : ""}`,
          text: word,
        }),
      ),
    ),
    el(
      "div",
      { className: "game-row" },
      view.letter
        ? el(
            "span",
            { className: "game-chip game-chip-strong", testid: "game-letter" },
            t("game.chain.next"),
            " ",
            el("span", { className: "game-tile game-letter game-tile-small", text: String(view.letter) }),
          )
        : null,
      chip(t("game.chain.count", { n: Number(view.count) || 0 })),
    ),
  );
}

/** The blind test: its category and place, the clues shown so far, the answer once over. */
export function blindNode(view) {
  if (Array.isArray(view.ranking)) return view.ranking.length ? rankingNode(view.ranking) : null;
  const clues = Array.isArray(view.clues) ? view.clues.map(String) : [];
  const number = Number(view.number);
  const total = Number(view.total);
  return el(
    "div",
    { className: "game-blind-card" },
    el(
      "div",
      { className: "game-row" },
      view.category ? chip(view.category, "game-chip game-chip-strong", "game-category") : null,
      number && total ? chip(t("game.quiz.number", { n: number, total }), "game-chip") : null,
      view.is_open !== false && view.points
        ? chip(t("scores.points", { n: Number(view.points) }), "game-chip")
        : null,
    ),
    el(
      "ol",
      { className: "game-clues", testid: "game-clues" },
      clues.map((clue) => el("li", { text: clue })),
    ),
    view.answer
      ? el("p", { className: "game-answer", testid: "game-answer" }, t("game.blind.answer"), " ", el("strong", { text: String(view.answer) }))
      : null,
  );
}
