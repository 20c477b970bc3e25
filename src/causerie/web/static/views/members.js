// The right panel: who is in the room being viewed (nick, age, gender, département), with
// filters by gender, age range, région and département, and "N / M" people shown.
// Clicking someone else's nickname opens a private conversation with them; the small menu
// button beside it reports or blocks them.

import { byId, el } from "../dom.js";
import { t } from "../i18n.js";
import { genderSymbol, paintNick } from "../people.js";

export class MembersView {
  #handlers;
  #geo = { regions: [], departments: [] };
  #lastState = null;

  /** handlers: onOpenDm(user), onReport({nick, user}). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.title = byId("members-title");
    this.shown = byId("members-shown");
    this.list = byId("members");
    this.emptyLabel = byId("members-empty");
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
    const room = state.membersRoom;
    this.title.textContent = room ? t("members.of", { room: room.title }) : t("members.title");
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
    const content = [nick, you, details];
    const body = isMe
      ? el("div", { className: "member-body is-me" }, content)
      : el(
          "button",
          {
            type: "button",
            className: "member-body",
            testid: "open-dm",
            title: t("members.open_dm", { nick: user.nick }),
            on: { click: () => this.#handlers.onOpenDm(user) },
          },
          content,
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
    return el("li", { className: "member", testid: `member-${user.nick}` }, body, menu);
  }
}
