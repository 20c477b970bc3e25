// The right panel: who is in the room being viewed (nick, age, gender, département), with
// filters by gender, age range, région and département, and "N / M" people shown.
// Clicking someone else's nickname opens their card (views/profile.js); the envelope beside
// it opens a private conversation at once, the menu button reports or blocks them. Someone I
// blocked stays listed, marked "bloqué·e". During a private conversation the panel shows the
// other person's card instead of a room's members. On a phone the filters start folded.

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { genderSymbol, paintNick } from "../people.js";
import { profileContent } from "./profile.js";

/** Phones and tablets (chat.css's tablet layout starts at 1024 px). */
const FOLDED_FILTERS_QUERY = "(max-width: 1024px)";

const DM_ICON =
  "M20 4H4a2 2 0 0 0-2 2v12c0 1.1.9 2 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 4-8 5-8-5V6l8 5 8-5v2z";

function icon(path) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("icon");
  const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("d", path);
  shape.setAttribute("fill", "currentColor");
  svg.append(shape);
  return svg;
}

export class MembersView {
  #handlers;
  #geo = { regions: [], departments: [] };
  #lastState = null;

  /**
   * handlers: onOpenDm(user), onReport({nick, user}), onOpenProfile(user, trigger),
   * onToggleBlock(nick).
   */
  constructor(handlers) {
    this.#handlers = handlers;
    this.title = byId("members-title");
    this.shown = byId("members-shown");
    this.list = byId("members");
    this.emptyLabel = byId("members-empty");
    this.filtersBox = byId("filters-box");
    this.filtersActive = byId("filters-active");
    this.card = byId("member-card");
    // Folded on a phone or a tablet, where they would push the list out of sight.
    this.filtersBox.open = !window.matchMedia(FOLDED_FILTERS_QUERY).matches;
    this.filters = {
      gender: byId("filter-gender"),
      ageMin: byId("filter-age-min"),
      ageMax: byId("filter-age-max"),
      region: byId("filter-region"),
      dept: byId("filter-dept"),
    };
    for (const input of Object.values(this.filters)) {
      input.addEventListener("input", () => this.#refilter());
      input.addEventListener("change", () => this.#refilter());
    }
    this.filters.region.addEventListener("change", () => {
      this.#fillDepartments();
      this.#refilter();
    });
    byId("filter-reset").addEventListener("click", () => {
      for (const input of Object.values(this.filters)) input.value = "";
      this.#fillDepartments();
      this.#refilter();
    });
  }

  /** Fill the région and département selects from GET /api/geo. */
  setGeo(geo) {
    this.#geo = geo;
    if (this.#lastState) this.render(this.#lastState);
    const chosen = this.filters.region.value;
    this.filters.region.replaceChildren(
      el("option", { value: "", text: t("filter.all.regions") }),
      ...geo.regions.map((region) => el("option", { value: region, text: region })),
    );
    this.filters.region.value = geo.regions.includes(chosen) ? chosen : "";
    this.#fillDepartments();
  }

  /** Re-render what depends on the language (the "all" options are built here). */
  relabel() {
    this.setGeo(this.#geo);
    if (this.#lastState) this.render(this.#lastState);
  }

  render(state) {
    this.#lastState = state;
    const active = state.active;
    if (active?.kind === "dm") {
      this.#renderCard(state, active);
      return;
    }
    this.card.hidden = true;
    this.card.replaceChildren();
    this.filtersBox.hidden = false;
    this.list.hidden = false;
    const room = state.membersRoom;
    this.title.textContent = room ? t("members.of", { room: room.title }) : t("members.title");
    this.#renderActiveFilters();
    if (!room) {
      this.list.replaceChildren();
      this.shown.textContent = "";
      this.emptyLabel.hidden = false;
      this.emptyLabel.textContent = t("members.no_room");
      return;
    }
    const everyone = [...room.members.values()].sort((a, b) =>
      a.nick.localeCompare(b.nick, undefined, { sensitivity: "base" }),
    );
    const visible = everyone.filter((user) => this.#matches(user));
    this.shown.textContent = t("members.shown", { n: visible.length, m: everyone.length });
    this.shown.title = t("members.shown.label", { n: visible.length, m: everyone.length });
    this.emptyLabel.hidden = visible.length > 0;
    this.emptyLabel.textContent = visible.length ? "" : t("members.none");
    this.list.replaceChildren(...visible.map((user) => this.#member(state, user)));
  }

  /** A private conversation: the other person's card, not the last room's members. */
  #renderCard(state, conversation) {
    const peer = conversation.peer ?? { nick: conversation.id };
    this.title.textContent = t("members.card.of", { nick: conversation.id });
    this.shown.textContent = "";
    this.filtersBox.hidden = true;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.emptyLabel.hidden = true;
    this.card.hidden = false;
    this.card.replaceChildren(
      el(
        "p",
        { className: "member-card-nick" },
        paintNick(el("span", { className: "nick", text: peer.nick }), peer.nick),
      ),
      ...profileContent(peer, {
        geo: this.#geo,
        isMe: false,
        isBlocked: state.isBlocked(peer.nick),
        isGone: conversation.isPeerGone,
        withDm: false,
        handlers: {
          onOpenDm: () => {},
          onToggleBlock: (nick) => this.#handlers.onToggleBlock(nick),
          onReport: (target) => this.#handlers.onReport(target),
          extraActions: conversation.isPeerGone ? null : this.#handlers.extraActions, // games.js
        },
      }),
    );
  }

  /** How many filters are set, beside the folded "Filtrer". */
  #renderActiveFilters() {
    const count = Object.values(this.filters).filter((input) => input.value).length;
    this.filtersActive.textContent = count ? `(${count})` : "";
  }

  #refilter() {
    if (this.#lastState) this.render(this.#lastState);
  }

  #fillDepartments() {
    const region = this.filters.region.value;
    const chosen = this.filters.dept.value;
    const departments = this.#geo.departments.filter(
      (dept) => !region || dept.region === region,
    );
    this.filters.dept.replaceChildren(
      el("option", { value: "", text: t("filter.all.depts") }),
      ...departments.map((dept) =>
        el("option", { value: dept.code, text: `${dept.code} · ${dept.name}` }),
      ),
    );
    this.filters.dept.value = departments.some((dept) => dept.code === chosen) ? chosen : "";
  }

  #matches(user) {
    const { gender, ageMin, ageMax, region, dept } = this.filters;
    if (gender.value && user.gender !== gender.value) return false;
    const min = Number.parseInt(ageMin.value, 10);
    const max = Number.parseInt(ageMax.value, 10);
    if (Number.isFinite(min) && !(user.age >= min)) return false;
    if (Number.isFinite(max) && !(user.age <= max)) return false;
    if (region.value && user.region !== region.value) return false;
    if (dept.value && user.dept !== dept.value) return false;
    return true;
  }

  #member(state, user) {
    const isMe = state.isMe(user.nick);
    const isBlocked = !isMe && state.isBlocked(user.nick);
    const nick = paintNick(
      el("span", { className: "member-nick nick", text: user.nick }),
      user.nick,
    );
    const details = el(
      "span",
      { className: "member-details" },
      el("span", {
        className: `member-gender gender-${user.gender}`,
        text: genderSymbol(user.gender),
        title: t(`gender.${user.gender}`),
        attrs: { "aria-label": t(`gender.${user.gender}`) },
      }),
      el("span", { className: "member-age", text: String(user.age ?? "") }),
      el("span", {
        className: "member-dept",
        testid: "member-dept",
        text: user.dept ?? "",
        title: user.region ?? "",
      }),
    );
    const you = isMe ? el("span", { className: "muted", text: t("members.you") }) : null;
    const blocked = isBlocked
      ? el("span", {
          className: "member-blocked",
          testid: "member-blocked",
          text: t("members.blocked"),
        })
      : null;
    const content = [nick, you, blocked, details];
    const body = el(
      "button",
      {
        type: "button",
        className: `member-body${isMe ? " is-me" : ""}`,
        testid: "member-card",
        title: t("profile.open", { nick: user.nick }),
        attrs: { "aria-haspopup": "dialog" },
        on: { click: (event) => this.#handlers.onOpenProfile(user, event.currentTarget) },
      },
      content,
    );
    const dm =
      isMe || isBlocked
        ? null
        : el(
            "button",
            {
              type: "button",
              className: "menu-button member-dm",
              testid: "open-dm",
              title: t("members.open_dm", { nick: user.nick }),
              attrs: { "aria-label": t("members.open_dm", { nick: user.nick }) },
              on: { click: () => this.#handlers.onOpenDm(user) },
            },
            icon(DM_ICON),
          );
    const menu = isMe
      ? null
      : el("button", {
          type: "button",
          className: "menu-button",
          testid: "report",
          text: "⋯",
          title: t("menu.open", { nick: user.nick }),
          attrs: { "aria-label": t("menu.open", { nick: user.nick }), "aria-haspopup": "dialog" },
          on: { click: () => this.#handlers.onReport({ nick: user.nick, user }) },
        });
    return el(
      "li",
      { className: `member${isBlocked ? " is-blocked" : ""}`, testid: `member-${user.nick}` },
      body,
      dm,
      menu,
    );
  }
}
