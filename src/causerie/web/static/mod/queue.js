// The moderation queue: the items the server sent (docs/protocol.md, "Moderation"), their
// order, the filters, and the list on the left of the console.
//
// Order: severity first (5 on top), then the trusted flaggers' lane, then age (oldest first),
// then id — the server's own order, kept when `queue_item` and `alert` frames insert or
// replace items one by one. Items raised by an `alert` are pinned above everything else,
// whatever the filters, for as long as they are open: an alert must be impossible to miss.

import { el, syncChildren } from "/static/dom.js";
import { formatAgo, formatDateTime, label, t, tCount } from "/static/mod/i18n-mod.js";
import { paintNick } from "/static/people.js";

/** States still waiting for a moderator ("À traiter"). */
export const OPEN_STATES = new Set(["received", "in_review", "appealed"]);

export function isOpen(item) {
  return OPEN_STATES.has(item.state);
}

export function compareItems(a, b) {
  return (
    (b.severity ?? 0) - (a.severity ?? 0) ||
    Number(a.lane !== "trusted") - Number(b.lane !== "trusted") ||
    (a.created_at ?? 0) - (b.created_at ?? 0) ||
    (a.id ?? 0) - (b.id ?? 0)
  );
}

/** The person an item is about, and the message when there is one. */
export function targetOf(item) {
  const target = item.target ?? {};
  const message = target.message ?? null;
  const nick = target.nick ?? message?.from?.nick ?? "";
  return { nick, message };
}

export class QueueModel {
  items = new Map(); // id -> item
  pinned = new Set(); // ids raised by an alert

  /** A full `queue` answer: it replaces what we had, except `keepId` (the item on screen). */
  replaceAll(items, keepId = null) {
    const kept = keepId !== null ? this.items.get(keepId) : undefined;
    this.items = new Map();
    for (const item of items) if (isItem(item)) this.items.set(item.id, item);
    if (kept && !this.items.has(keepId)) this.items.set(keepId, kept);
    for (const id of this.pinned) if (!this.items.has(id)) this.pinned.delete(id);
  }

  /** A `queue_item` (or an `alert`'s item): insert or replace by id. */
  upsert(item, { pin = false } = {}) {
    if (!isItem(item)) return false;
    this.items.set(item.id, item);
    if (pin) this.pinned.add(item.id);
    return true;
  }

  get(id) {
    return this.items.get(id) ?? null;
  }

  isPinned(item) {
    return this.pinned.has(item.id) && isOpen(item);
  }

  /**
   * What the list shows: open pinned items first, then the items the filters let through.
   * `keepId` (the item being examined) stays listed even once it is closed, so it does not
   * vanish under the moderator's hands after an action.
   */
  visible(filters, keepId = null) {
    const pinned = [];
    const rest = [];
    for (const item of this.items.values()) {
      if (this.isPinned(item)) pinned.push(item);
      else if (item.id === keepId || matches(item, filters)) rest.push(item);
    }
    return [...pinned.sort(compareItems), ...rest.sort(compareItems)];
  }
}

function isItem(item) {
  return (
    item !== null &&
    typeof item === "object" &&
    (typeof item.id === "number" || typeof item.id === "string")
  );
}

function matches(item, { state, kind, lane }) {
  if (state === "open" && !isOpen(item)) return false;
  if (kind && item.kind !== kind) return false;
  if (lane && item.lane !== lane) return false;
  return true;
}

/** A one-line excerpt of what the item is about. */
function excerptOf(item) {
  const { message } = targetOf(item);
  if (message?.text) return message.text;
  if (item.comment) return item.comment;
  if (item.rule) return item.rule;
  return "";
}

export function severityPill(severity) {
  const level = Math.min(5, Math.max(1, Number(severity) || 1));
  return el("span", {
    className: `severity severity-${level}`,
    text: String(level),
    title: t("severity.label", { n: level }),
    attrs: { "aria-label": t("severity.label", { n: level }) },
  });
}

export function agoNode(ts, className = "ago") {
  return el("time", {
    className,
    text: formatAgo(ts),
    title: formatDateTime(ts),
    dataset: { ago: String(ts) },
    attrs: { datetime: new Date(ts).toISOString() },
  });
}

/** Refresh every "il y a …" under `root` (they age while the page stays open). */
export function refreshAges(root) {
  for (const node of root.querySelectorAll("[data-ago]")) {
    node.textContent = formatAgo(Number(node.dataset.ago));
  }
}

export class QueueView {
  #nodes = new Map(); // id -> {node, signature}
  #onSelect;

  /** onSelect(id) is called when the moderator opens an item. */
  constructor({ list, count, empty, onSelect }) {
    this.list = list;
    this.count = count;
    this.empty = empty;
    this.#onSelect = onSelect;
  }

  render(model, filters, selectedId) {
    const items = model.visible(filters, selectedId);
    const nodes = items.map((item) =>
      this.#node(item, model.isPinned(item), item.id === selectedId),
    );
    syncChildren(this.list, nodes);
    const shown = new Set(items.map((item) => item.id));
    for (const id of this.#nodes.keys()) if (!shown.has(id)) this.#nodes.delete(id);
    this.count.textContent = tCount("queue.count", items.length);
    this.empty.hidden = items.length > 0;
    this.empty.textContent = model.items.size === 0 ? t("queue.empty") : t("queue.empty.filtered");
  }

  /** Forget every node, so the next render rebuilds them (after a change of language). */
  reset() {
    this.#nodes.clear();
  }

  #node(item, isPinned, isSelected) {
    const signature = JSON.stringify([item, isPinned, isSelected]);
    const known = this.#nodes.get(item.id);
    if (known && known.signature === signature) return known.node;
    const node = this.#build(item, isPinned, isSelected);
    this.#nodes.set(item.id, { node, signature });
    return node;
  }

  #build(item, isPinned, isSelected) {
    const { nick } = targetOf(item);
    const classes = ["queue-card", `state-${item.state}`];
    if (isPinned) classes.push("is-pinned");
    if (isSelected) classes.push("is-selected");
    if (!isOpen(item)) classes.push("is-closed");
    const button = el(
      "button",
      {
        type: "button",
        className: classes.join(" "),
        testid: `queue-item-${item.id}`,
        dataset: {
          category: item.category ?? "",
          severity: String(item.severity ?? ""),
          state: item.state ?? "",
          kind: item.kind ?? "",
          lane: item.lane ?? "",
        },
        attrs: { "aria-current": isSelected ? "true" : null },
        on: { click: () => this.#onSelect(item.id) },
      },
      el(
        "span",
        { className: "queue-card-top" },
        severityPill(item.severity),
        el("span", { className: "queue-card-category", text: label("category", item.category) }),
        isPinned ? el("span", { className: "chip chip-alert", text: t("queue.pinned") }) : null,
        item.kind && item.kind !== "report"
          ? el("span", { className: "chip", text: label("kind", item.kind) })
          : null,
        item.created_at ? agoNode(item.created_at, "ago queue-card-ago") : null,
      ),
      el(
        "span",
        { className: "queue-card-body" },
        nick ? paintNick(el("span", { className: "nick", text: nick }), nick) : null,
        el("span", { className: "queue-card-excerpt", text: excerptOf(item) }),
      ),
      el(
        "span",
        { className: "queue-card-meta" },
        item.reason
          ? el("span", {
              className: "chip chip-alert",
              testid: "queue-reason",
              text: label("report_reason", item.reason),
            })
          : null,
        el("span", {
          className: `chip chip-state state-${item.state}`,
          text: label("state", item.state),
        }),
        el("span", { text: label("lane", item.lane) }),
        item.reporter?.nick ? el("span", { text: `← ${item.reporter.nick}` }) : null,
      ),
    );
    return el("li", { className: "queue-entry" }, button);
  }
}
