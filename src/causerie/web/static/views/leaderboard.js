// A room's leaderboard: the points per nickname for today, this week or all time, from the
// server's `scores {room, period, rows}` frames (docs/protocol.md, "Games"). A dialog opened
// from the room's header ("Scores"), with one tab per period; on a phone it fills the screen
// like the other dialogs. Keyboard: the tabs are buttons (arrows move between them), Escape
// closes, and the focus goes back to the button that opened it.

import "../games-texts.js";
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { paintNick } from "../people.js";

/** The periods a leaderboard shows, in tab order (the wire's `period` values). */
export const PERIODS = Object.freeze(["today", "week", "all"]);

export class LeaderboardView {
  #onPeriod;
  #room = null; // {id, name}
  #period = PERIODS[0];
  #rows = new Map(); // `${room}|${period}` -> rows, or undefined while loading
  #trigger = null;

  /** onPeriod(room, period): ask the server for this period's scores. */
  constructor({ onPeriod }) {
    this.#onPeriod = onPeriod;
    this.title = el("h2", { className: "dialog-title", attrs: { id: "scores-title" } });
    this.closeButton = el("button", {
      type: "button",
      className: "dialog-close",
      testid: "scores-close",
      text: "×",
      on: { click: () => this.close() },
    });
    this.tabs = el("div", {
      className: "scores-tabs",
      attrs: { role: "tablist" },
      on: { keydown: (event) => this.#onTabKey(event) },
    });
    this.body = el("div", {
      className: "scores-body",
      testid: "scores-body",
      attrs: { role: "tabpanel", id: "scores-panel", "aria-live": "polite" },
    });
    this.dialog = el(
      "dialog",
      {
        className: "dialog scores-dialog",
        testid: "scores-dialog",
        attrs: { "aria-labelledby": "scores-title" },
      },
      el(
        "div",
        { className: "dialog-card" },
        el("header", { className: "dialog-header" }, this.title, this.closeButton),
        this.tabs,
        this.body,
      ),
    );
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.close();
    });
    this.dialog.addEventListener("close", () => {
      const trigger = this.#trigger;
      this.#trigger = null;
      if (trigger?.isConnected) trigger.focus();
    });
    document.body.append(this.dialog);
  }

  /** The room shown ({id, name}), or null. */
  get room() {
    return this.dialog.open ? this.#room : null;
  }

  /** Ask again for the period on screen (a game spoke in the room: points may have changed). */
  refresh() {
    this.#ask();
  }

  get isOpen() {
    return this.dialog.open;
  }

  /** Open the leaderboard of `room` ({id, name}) on its first tab, and ask for it. */
  open(room, trigger) {
    this.#room = room;
    this.#trigger = trigger ?? document.activeElement;
    this.#period = PERIODS[0];
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    this.#ask();
    this.tabs.querySelector("[aria-selected='true']")?.focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** A `scores` frame: keep its rows, and show them if they are the ones on screen. */
  scores(frame) {
    const room = typeof frame.room === "object" && frame.room ? frame.room.id : frame.room;
    const rows = Array.isArray(frame.rows) ? frame.rows : [];
    this.#rows.set(`${room}|${frame.period}`, rows);
    if (this.#room?.id === room && this.#period === frame.period) this.render();
  }

  render() {
    const room = this.#room;
    if (!room) return;
    this.title.textContent = t("scores.title", { room: room.name ?? room.id });
    this.closeButton.title = t("scores.close");
    this.closeButton.setAttribute("aria-label", t("scores.close"));
    this.tabs.setAttribute("aria-label", t("scores.period"));
    this.tabs.replaceChildren(
      ...PERIODS.map((period) => {
        const isCurrent = period === this.#period;
        return el("button", {
          type: "button",
          className: `scores-tab${isCurrent ? " is-current" : ""}`,
          testid: `scores-${period}`,
          text: t(`scores.${period}`),
          attrs: {
            role: "tab",
            "aria-selected": String(isCurrent),
            "aria-controls": "scores-panel",
            tabindex: isCurrent ? "0" : "-1",
          },
          dataset: { period },
          on: { click: () => this.#choose(period) },
        });
      }),
    );
    this.body.replaceChildren(this.#table(this.#rows.get(`${room.id}|${this.#period}`)));
  }

  #table(rows) {
    if (rows === undefined) return el("p", { className: "muted", text: t("scores.loading") });
    if (!rows.length) return el("p", { className: "muted", testid: "scores-empty", text: t("scores.empty") });
    return el(
      "table",
      { className: "scores-table", testid: "scores-table" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { text: t("scores.rank"), attrs: { scope: "col" } }),
          el("th", { text: t("scores.nick"), attrs: { scope: "col" } }),
          el("th", { className: "scores-points", text: t("scores.score"), attrs: { scope: "col" } }),
        ),
      ),
      el(
        "tbody",
        {},
        rows.map((row, index) =>
          el(
            "tr",
            { testid: "scores-row", className: index < 3 ? `scores-top scores-top-${index + 1}` : "" },
            el("td", { className: "scores-rank", text: String(index + 1) }),
            el(
              "td",
              { testid: "scores-nick" },
              paintNick(el("span", { className: "nick", text: String(row.nick ?? "") }), String(row.nick ?? "")),
            ),
            el("td", { className: "scores-points", testid: "scores-points", text: String(row.points ?? 0) }),
          ),
        ),
      ),
    );
  }

  #choose(period) {
    if (period === this.#period) return;
    this.#period = period;
    this.render();
    this.tabs.querySelector("[aria-selected='true']")?.focus();
    this.#ask();
  }

  #ask() {
    if (this.#room) this.#onPeriod(this.#room, this.#period);
  }

  #onTabKey(event) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const index = PERIODS.indexOf(this.#period);
    this.#choose(PERIODS[(index + step + PERIODS.length) % PERIODS.length]);
  }
}
