// A duel's lines as the node sends them today: `notice {kind: "info", key: "game", text}` to
// each player, the board in the text (docs/games.md, "Morpion", "Puissance 4"), with no `view`
// and no conversation named. This reads them back: which private conversation the duel is in
// (the one whose newest invitation was answered `!oui`), and the board drawn from the text, so
// the web shows and plays the same board as with a `view`. A notice that carries `game` (and
// `about`, the other player) needs none of this (games.js).

/** A Puissance 4 row ("." free) and a Morpion row (a free cell shows its digit). */
const P4_ROW = /^[.XO](?: [.XO]){6}$/;
const MORPION_ROW = /^[1-9XO](?: [1-9XO]){2}$/;
const START = /(\S+) \(X\) contre (\S+) \(O\)/;
const TURN = /À toi, (\S+?)(?: \([XO]\))?\./;
const WINNER = /(\S+) gagne !/;
const OVER = /Match nul|Partie arrêtée|Partie terminée/;

/**
 * The board a duel's notice text shows, as a `board` view, or null when it shows none.
 * `players`: the two players in playing order when the text does not say them.
 */
export function boardOfText(text, players = []) {
  const lines = String(text ?? "").split("\n").map((line) => line.trim());
  const p4 = lines.filter((line) => P4_ROW.test(line));
  const morpion = lines.filter((line) => MORPION_ROW.test(line));
  const isP4 = p4.length === 6;
  if (!isP4 && morpion.length !== 3) return null;
  const rows = isP4 ? p4 : morpion;
  const cells = rows.flatMap((row) => row.split(" ").map((cell) => (cell === "X" || cell === "O" ? cell : "")));
  const start = START.exec(text);
  const winner = WINNER.exec(text)?.[1] ?? null;
  const isOver = Boolean(winner) || OVER.test(text);
  return {
    kind: "board",
    game: isP4 ? "puissance4" : "morpion",
    rows: isP4 ? 6 : 3,
    cols: isP4 ? 7 : 3,
    cells,
    players: start ? [start[1], start[2]] : [...players],
    turn: isOver ? null : (TURN.exec(text)?.[1] ?? null),
    winner,
    is_over: isOver,
    marks: ["X", "O"],
  };
}

/**
 * The private conversation a duel runs in: of those where a duel invitation (`isInvitation`)
 * was answered `!oui`, the one answered last; with the players in order (the inviter first).
 * Returns {conversation, players} or null.
 */
export function duelConversation(state, isInvitation) {
  let found = null;
  for (const conversation of state.conversations.values()) {
    if (conversation.kind !== "dm") continue;
    let inviter = null;
    for (const message of conversation.messages) {
      if (message.from && isInvitation(message.text)) inviter = message.from.nick;
      const answer = String(message.text ?? "").trim().toLowerCase();
      if (inviter && answer === "!oui" && message.from && message.from.nick !== inviter) {
        const at = message.ts ?? 0;
        if (!found || at >= found.at) {
          found = { conversation, players: [inviter, message.from.nick], at };
        }
      }
    }
  }
  return found;
}

/** Whether a duel still runs in `conversation`: its newest board is not over. */
export function isDuelRunning(conversation) {
  const board = conversation.messages.findLast((message) => message.game?.view?.kind === "board");
  const view = board?.game?.view;
  return Boolean(view) && !view.winner && view.is_over !== true;
}
