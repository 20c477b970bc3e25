// Two-player boards drawn from a game's `view` of kind `board` (Morpion 3×3, Puissance 4 7×6):
// a grid of cells, each player's pieces in their colour and shape (not colour alone), whose turn
// it is, the winner and the winning line. On my turn, on the newest board of the conversation,
// a cell (Morpion) or a column (Puissance 4) is a button that sends the move as a message,
// exactly as typing it would: the game reads it like any player's line.
//
// The view, as the games send it (docs/games.md): {kind: "board", game, rows, cols, cells,
// players: [first, second], turn, winner?, line?, drop?}. `cells` is a list of rows (a list or a
// string each) or one flat list; a cell is empty ("", ".", " ", null, 0) or names its player by
// their mark (`marks`), their nickname, or 1/2.

import "../games-texts.js";
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { sameNick } from "../people.js";

const EMPTY = new Set(["", ".", " ", "-", "_", "0"]);
const DEFAULT_MARKS = ["X", "O"];

/** The grid as rows of 0 (empty), 1 (first player) or 2 (second player). */
export function boardCells(view) {
  const rows = Math.max(1, Number(view.rows) || (Number(view.cols) === 7 ? 6 : 3));
  const cols = Math.max(1, Number(view.cols) || (rows === 6 ? 7 : 3));
  const raw = Array.isArray(view.cells) ? view.cells : typeof view.cells === "string" ? [view.cells] : [];
  const flat = raw.length === rows ? raw.flatMap((row) => (typeof row === "string" ? row.split("") : row)) : raw;
  const cells = [];
  for (let r = 0; r < rows; r += 1) {
    const row = [];
    for (let c = 0; c < cols; c += 1) row.push(ownerOf(flat[r * cols + c], view));
    cells.push(row);
  }
  return cells;
}

function ownerOf(cell, view) {
  if (cell === null || cell === undefined || cell === false) return 0;
  const text = String(cell);
  if (EMPTY.has(text.trim())) return 0;
  if (text === "1" || text === "2") return Number(text);
  const marks = Array.isArray(view.marks) ? view.marks.map(String) : DEFAULT_MARKS;
  const players = Array.isArray(view.players) ? view.players.map(String) : [];
  for (const index of [0, 1]) {
    if (text.toUpperCase() === String(marks[index] ?? "").toUpperCase()) return index + 1;
    if (players[index] && sameNick(text, players[index])) return index + 1;
  }
  return text.toUpperCase() === "R" ? 1 : 2; // rouge/jaune, croix/rond: the first is the first
}

/** Whether moves go by column (pieces drop: Puissance 4) rather than by cell. */
export function dropsPieces(view) {
  if (typeof view.drop === "boolean") return view.drop;
  return String(view.game ?? "").startsWith("puissance") || Number(view.cols) === 7;
}

/**
 * What a player types for a move: the view's own `moves` when it lists them, else the column's
 * number (1-7) for Puissance 4, or the cell's number (1-9, by rows) for Morpion.
 */
export function moveText(view, row, col) {
  const cols = Number(view.cols) || 3;
  if (dropsPieces(view)) {
    return Array.isArray(view.moves) && view.moves[col] !== undefined ? String(view.moves[col]) : String(col + 1);
  }
  const index = row * cols + col;
  if (Array.isArray(view.moves) && view.moves[index] !== undefined) return String(view.moves[index]);
  return String(index + 1);
}

function lineSet(view) {
  const line = Array.isArray(view.line) ? view.line : [];
  return new Set(line.filter(Array.isArray).map(([r, c]) => `${r},${c}`));
}

function pieceLabel(owner, players) {
  if (!owner) return t("game.board.empty");
  return t("game.board.piece", { nick: players[owner - 1] ?? String(owner) });
}

/** The board, with its status line; `options`: isLive, me, onMove(text). */
export function boardNode(view, options = {}) {
  const cells = boardCells(view);
  const rows = cells.length;
  const cols = cells[0].length;
  const players = Array.isArray(view.players) ? view.players.map(String) : [];
  const isOver = Boolean(view.winner) || view.is_over === true || view.draw === true;
  const isMyTurn =
    Boolean(options.isLive && !isOver && options.me && view.turn && sameNick(String(view.turn), options.me));
  const drops = dropsPieces(view);
  const winning = lineSet(view);
  const gameName = drops ? "puissance4" : "morpion";
  const grid = el("div", {
    className: `board board-${gameName}${isMyTurn ? " is-my-turn" : ""}`,
    testid: "game-board",
    dataset: { rows: String(rows), cols: String(cols) },
    attrs: { role: "group", "aria-label": t(`game.board.${gameName}`) },
  });
  grid.style.setProperty("--board-cols", String(cols));
  for (let r = 0; r < rows; r += 1) {
    const row = el("div", { className: "board-row" });
    for (let c = 0; c < cols; c += 1) {
      const owner = cells[r][c];
      const isWinning = winning.has(`${r},${c}`);
      // Puissance 4: the top row holds one button per column that still has room.
      const move = drops ? (r === 0 && cells[0][c] === 0 ? moveText(view, r, c) : null) : owner ? null : moveText(view, r, c);
      const className = `board-cell board-p${owner}${isWinning ? " is-winning" : ""}`;
      const label = `${pieceLabel(owner, players)}${isWinning ? ` (${t("game.board.winning")})` : ""}`;
      const piece = el("span", { className: "board-piece", attrs: { "aria-hidden": "true" } });
      const cell =
        isMyTurn && move !== null
          ? el(
              "button",
              {
                type: "button",
                className: `${className} board-move`,
                testid: drops ? `board-column-${c + 1}` : `board-cell-${r * cols + c + 1}`,
                title: t(drops ? "game.board.play_column" : "game.board.play_cell", { n: move }),
                attrs: { "aria-label": t(drops ? "game.board.play_column" : "game.board.play_cell", { n: move }) },
                on: { click: () => options.onMove?.(move) },
              },
              piece,
            )
          : el(
              "span",
              { className, testid: "board-cell", dataset: { owner: String(owner) }, attrs: { role: "img", "aria-label": label } },
              piece,
            );
      if (isMyTurn && drops && r > 0 && cells[0][c] === 0) {
        // The whole column answers a click on a phone, not only its top cell.
        cell.addEventListener("click", () => options.onMove?.(moveText(view, 0, c)));
        cell.classList.add("board-column-cell");
      }
      row.append(cell);
    }
    grid.append(row);
  }
  return el(
    "div",
    { className: "game-board-card" },
    el(
      "div",
      { className: `board-players board-${gameName}` }, // Morpion's legend shows ✕ and ◯
      players.map((nick, index) =>
        el(
          "span",
          { className: `board-player board-p${index + 1}`, testid: "board-player" },
          el("span", { className: "board-piece", attrs: { "aria-hidden": "true" } }),
          nick,
        ),
      ),
    ),
    grid,
    el("p", {
      className: `board-status${isMyTurn ? " is-my-turn" : ""}`,
      testid: "board-status",
      attrs: { role: "status" },
      text: boardStatus(view, { isOver, isMyTurn, isLive: options.isLive }),
    }),
  );
}

function boardStatus(view, { isOver, isMyTurn, isLive }) {
  if (view.winner) return t("game.board.winner", { nick: String(view.winner) });
  if (isOver) return t("game.board.draw");
  if (isMyTurn) return t("game.board.your_turn");
  if (isLive && view.turn) return t("game.board.turn", { nick: String(view.turn) });
  return "";
}
