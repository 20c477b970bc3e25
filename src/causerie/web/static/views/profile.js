// A person's card: what others may know of them (age, gender, département and region, never
// more: docs/protocol.md, "The user object") and what I can do: "Message privé", "Bloquer",
// "Signaler". It opens as a dialog when a name is clicked (member list, message author) and
// fills the right panel during a private conversation. Keyboard: names are buttons (Enter or
// Space), Escape closes the dialog, and the focus goes back to the name that opened it.

import { byId, el } from "../dom.js";
import { addTexts, t } from "../i18n.js";
import { genderSymbol, paintNick } from "../people.js";

addTexts({
  fr: {
    "profile.open": "Voir la fiche de {nick}",
    "profile.close": "Fermer",
    "profile.age": "Âge",
    "profile.gender": "Genre",
    "profile.dept": "Département",
    "profile.region": "Région",
    "profile.dm": "Message privé",
    "profile.block": "Bloquer",
    "profile.unblock": "Débloquer",
    "profile.report": "Signaler",
    "profile.blocked": "Bloqué·e",
    "profile.you": "C'est toi.",
    "profile.gone": "N'est plus connecté·e.",
    "profile.unknown": "Rien d'autre n'est connu de cette personne.",
  },
  en: {
    "profile.open": "Show {nick}'s card",
    "profile.close": "Close",
    "profile.age": "Age",
    "profile.gender": "Gender",
    "profile.dept": "Department",
    "profile.region": "Region",
    "profile.dm": "Private message",
    "profile.block": "Block",
    "profile.unblock": "Unblock",
    "profile.report": "Report",
    "profile.blocked": "Blocked",
    "profile.you": "This is you.",
    "profile.gone": "No longer connected.",
    "profile.unknown": "Nothing else is known about this person.",
  },
});

/** "75 · Paris" from a département code and GET /api/geo's list (the code alone if unknown). */
export function departmentLabel(code, geo) {
  if (!code) return "";
  const known = geo?.departments?.find((dept) => dept.code === code);
  return known ? `${code} · ${known.name}` : String(code);
}

/**
 * The card's content for `user`. options: geo, isMe, isBlocked, isGone, handlers
 * {onOpenDm(user), onToggleBlock(nick), onReport({nick, user})} (null: no actions).
 */
export function profileContent(user, { geo, isMe, isBlocked, isGone = false, handlers, withDm }) {
  const facts = [];
  const fact = (label, value, testid) => {
    if (value === undefined || value === null || value === "") return;
    facts.push(
      el("dt", { className: "profile-label", text: label }),
      el("dd", { className: "profile-value", testid, text: String(value) }),
    );
  };
  if (user.age !== undefined) fact(t("profile.age"), t("members.age", { n: user.age }), "profile-age");
  if (user.gender) {
    fact(t("profile.gender"), `${genderSymbol(user.gender)} ${t(`gender.${user.gender}`)}`, "profile-gender");
  }
  fact(t("profile.dept"), departmentLabel(user.dept, geo), "profile-dept");
  fact(t("profile.region"), user.region, "profile-region");
  const notes = [];
  if (isMe) notes.push(t("profile.you"));
  if (isGone) notes.push(t("profile.gone"));
  if (!facts.length && !isMe) notes.push(t("profile.unknown"));
  const content = [
    facts.length ? el("dl", { className: "profile-facts" }, facts) : null,
    isBlocked
      ? el("p", { className: "profile-blocked", testid: "profile-blocked", text: t("profile.blocked") })
      : null,
    ...notes.map((note) => el("p", { className: "profile-note muted", text: note })),
  ];
  if (!isMe && handlers) {
    content.push(
      el(
        "div",
        { className: "profile-actions" },
        withDm && !isBlocked && !isGone
          ? el("button", {
              type: "button",
              className: "button button-primary",
              testid: "profile-dm",
              text: t("profile.dm"),
              on: { click: () => handlers.onOpenDm(user) },
            })
          : null,
        el("button", {
          type: "button",
          className: "button button-danger",
          testid: "profile-block",
          text: t(isBlocked ? "profile.unblock" : "profile.block"),
          attrs: { "aria-pressed": String(isBlocked) },
          on: { click: () => handlers.onToggleBlock(user.nick) },
        }),
        handlers.extraActions?.(user) ?? null,
        el("button", {
          type: "button",
          className: "button button-quiet",
          testid: "profile-report",
          text: t("profile.report"),
          attrs: { "aria-haspopup": "dialog" },
          on: { click: () => handlers.onReport({ nick: user.nick, user }) },
        }),
      ),
    );
  }
  return content.filter(Boolean);
}

/** A nickname drawn as a button that opens the person's card. */
export function nickButton(user, onOpen, { className = "", testid = "nick-button" } = {}) {
  return paintNick(
    el("button", {
      type: "button",
      className: `nick nick-button ${className}`.trim(),
      testid,
      text: user.nick,
      title: t("profile.open", { nick: user.nick }),
      attrs: { "aria-haspopup": "dialog" },
      on: { click: (event) => onOpen(user, event.currentTarget) },
    }),
    user.nick,
  );
}

export class ProfileCard {
  #handlers;
  #user = null;
  #trigger = null; // the element to focus again when the card closes
  #geo = null;
  #state = null;

  /** handlers: onOpenDm(user), onToggleBlock(nick), onReport({nick, user}). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.dialog = byId("profile-dialog");
    this.title = byId("profile-title");
    this.body = byId("profile-body");
    byId("profile-close").addEventListener("click", () => this.close());
    this.dialog.addEventListener("close", () => {
      const trigger = this.#trigger;
      this.#user = null;
      this.#trigger = null;
      if (trigger?.isConnected && !this.#isFocusElsewhere()) trigger.focus();
    });
    // A click on the backdrop (outside the card) closes it, like Escape.
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.close();
    });
  }

  setGeo(geo) {
    this.#geo = geo;
  }

  get isOpen() {
    return this.dialog.open;
  }

  /** Open `user`'s card; `trigger` gets the focus back when it closes. */
  open(user, trigger, state) {
    this.#user = user;
    this.#trigger = trigger ?? document.activeElement;
    this.#state = state;
    this.render(state);
    if (!this.dialog.open) this.dialog.showModal();
    (this.body.querySelector("button") ?? byId("profile-close")).focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** Re-render (block list or language changed). */
  render(state = this.#state) {
    const user = this.#user;
    if (!user || !state) return;
    this.#state = state;
    this.title.replaceChildren(paintNick(el("span", { className: "nick", text: user.nick }), user.nick));
    const act = (action) => (...args) => {
      // Opening a conversation or the report dialog takes the place of the card.
      if (action !== "onToggleBlock") {
        this.#trigger = null;
        this.close();
      }
      this.#handlers[action](...args);
    };
    this.body.replaceChildren(
      ...profileContent(user, {
        geo: this.#geo,
        isMe: state.isMe(user.nick),
        isBlocked: state.isBlocked(user.nick),
        withDm: true,
        handlers: {
          onOpenDm: act("onOpenDm"),
          onToggleBlock: act("onToggleBlock"),
          onReport: act("onReport"),
          extraActions: this.#handlers.extraActions, // "Inviter dans…" (member-rooms.js)
        },
      }),
    );
  }

  #isFocusElsewhere() {
    const active = document.activeElement;
    return active && active !== document.body && !this.dialog.contains(active);
  }
}
