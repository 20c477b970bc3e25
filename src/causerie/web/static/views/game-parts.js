// Pieces the games' drawings share (views/game-views.js, game-words.js, game-boards.js): chips,
// countdowns, a final ranking, SVG nodes. Pure DOM from data, text through textContent only.

import "../games-texts.js";
import { el } from "../dom.js";
import { t } from "../i18n.js";

const SVG = "http://www.w3.org/2000/svg";

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

export function chip(text, className = "game-chip", testid = undefined) {
  return el("span", { className, testid, text: String(text) });
}

export function liveCountdown(view, options) {
  const deadline = Number(view.deadline_ms);
  if (!options.isLive || !Number.isFinite(deadline) || view.is_open === false) return null;
  return countdownNode(options.deadlineAt(deadline));
}

/** A game's final ranking: [{nick, points}], best first. */
export function rankingNode(ranking) {
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

export function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}
