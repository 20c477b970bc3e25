// The left panel: the rooms I may see, grouped by kind with their member counts, and below
// them the open conversations (rooms and private) as tabs with unread badges.

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { genderSymbol, paintNick } from "../people.js";
import { roomKey } from "../state.js";

/** Group order and titles. A minor only receives teen rooms, so only "Ados" shows for them. */
const GROUPS = [
  ["thematic", "rooms.thematic"],
  ["regional", "rooms.regional"],
  ["teen", "rooms.teen"],
];

function personIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "13");
  svg.setAttribute("height", "13");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("d", "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-8 1.7-8 5v1h16v-1c0-3.3-4.7-5-8-5z");
  shape.setAttribute("fill", "currentColor");
  svg.append(shape);
  return svg;
}

export class RoomsView {
  #handlers;
  #collapsed = new Set(); // kinds the person folded away

  /** handlers: onOpenRoom(room), onSelect(key), onClose(key). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.groups = byId("room-groups");
    this.tabs = byId("tabs");
  }

  render(state) {
    this.renderRooms(state);
    this.renderTabs(state);
  }

  renderRooms(state) {
    const sections = [];
    // Member rooms (with an `owner`) have their own section (views/member-rooms.js).
    const official = state.rooms.filter((room) => !Object.hasOwn(room, "owner"));
    for (const [kind, titleKey] of GROUPS) {
      const rooms = official.filter((room) => room.kind === kind);
      if (!rooms.length) continue;
      sections.push(this.#group(state, kind, t(titleKey), rooms));
    }
    // Rooms of a kind this client does not know yet still show, under their kind's name.
    const known = new Set(GROUPS.map(([kind]) => kind));
    const others = official.filter((room) => !known.has(room.kind));
    if (others.length) sections.push(this.#group(state, "other", t("rooms.other"), others));
    if (!sections.length) sections.push(el("p", { className: "muted", text: t("rooms.empty") }));
    this.groups.replaceChildren(...sections);
  }

  renderTabs(state) {
    const items = [...state.conversations.values()].map((conversation) =>
      this.#tab(state, conversation),
    );
    if (!items.length) {
      items.push(
        el("li", {
          className: "tabs-empty muted",
          text: t("tabs.empty"),
        }),
      );
    }
    this.tabs.replaceChildren(...items);
  }

  #group(state, kind, title, rooms) {
    const details = el(
      "details",
      { className: `room-group room-group-${kind}`, testid: `group-${kind}` },
      el("summary", { className: "room-group-title" }, el("span", { text: title }),
        el("span", { className: "room-group-count", text: String(rooms.length) })),
      el("ul", { className: "room-list" }, rooms.map((room) => this.#room(state, room))),
    );
    details.open = !this.#collapsed.has(kind);
    details.addEventListener("toggle", () => {
      if (details.open) this.#collapsed.delete(kind);
      else this.#collapsed.add(kind);
    });
    return details;
  }

  #room(state, room) {
    const key = roomKey(room.id);
    const isOpen = state.conversations.has(key);
    const isActive = state.activeKey === key;
    const count = Number.isFinite(room.members) ? room.members : 0;
    const countLabel = t(count === 1 ? "rooms.count.one" : "rooms.count", { n: count });
    return el(
      "li",
      {},
      el(
        "button",
        {
          type: "button",
          className: `room${isOpen ? " is-open" : ""}${isActive ? " is-active" : ""}`,
          testid: `room-${room.id}`,
          attrs: { "aria-current": isActive ? "true" : null },
          on: { click: () => this.#handlers.onOpenRoom(room) },
        },
        el("span", { className: "room-name", text: room.name ?? room.id }),
        // People in the room: a quiet figure with a person icon, unlike the unread badges.
        el(
          "span",
          { className: "room-count", title: countLabel },
          personIcon(),
          el("span", { text: String(count), attrs: { "aria-hidden": "true" } }),
          el("span", { className: "visually-hidden", text: countLabel }),
        ),
      ),
    );
  }

  #tab(state, conversation) {
    const isActive = state.activeKey === conversation.key;
    const isRoom = conversation.kind === "room";
    const testid = isRoom ? `tab-room-${conversation.id}` : `tab-dm-${conversation.id}`;
    const name = el("span", { className: "tab-name", text: conversation.title });
    if (!isRoom) paintNick(name, conversation.id);
    const badge =
      conversation.unread > 0
        ? el("span", {
            className: "badge",
            testid: "unread",
            text: conversation.unread > 99 ? "99+" : String(conversation.unread),
            title: t("tabs.unread", { n: conversation.unread }),
          })
        : null;
    // Mentions of me are counted apart, in their own badge ("@2"), so they stand out.
    const mentions = conversation.mentions ?? 0;
    const mentionBadge =
      mentions > 0
        ? el("span", {
            className: "badge badge-mention",
            testid: "mentions",
            text: `@${mentions > 99 ? "99+" : mentions}`,
            title: t("tabs.mentions", { n: mentions }),
          })
        : null;
    const marker = isRoom
      ? el("span", { className: "tab-marker", text: "#", attrs: { "aria-hidden": "true" } })
      : el("span", {
          className: "tab-marker tab-marker-dm",
          text: conversation.peer ? genderSymbol(conversation.peer.gender) : "@",
          attrs: { "aria-hidden": "true" },
        });
    return el(
      "li",
      {
        className: `tab${isActive ? " is-active" : ""}${isRoom ? "" : " tab-dm"}`,
      },
      el(
        "button",
        {
          type: "button",
          className: "tab-button",
          testid,
          // A list of buttons (each with its close button), the shown one marked current.
          attrs: { "aria-current": isActive ? "true" : null },
          on: { click: () => this.#handlers.onSelect(conversation.key) },
        },
        marker,
        name,
        mentionBadge,
        badge,
      ),
      el("button", {
        type: "button",
        className: "tab-close",
        text: "×",
        title: t("tabs.close", { name: conversation.title }),
        attrs: { "aria-label": t("tabs.close", { name: conversation.title }) },
        testid: `close-${testid}`,
        on: { click: () => this.#handlers.onClose(conversation.key) },
      }),
    );
  }
}
