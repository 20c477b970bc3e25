// The member rooms' views: their own section under the official rooms (a filter by name and
// "Créer un salon"), the dialog that makes one, the settings dialog of its owner and
// operators, and the "Inviter dans…" control of a person's card. Text goes in as text only.

import { byId, el } from "../dom.js";
import { addTexts, t } from "../i18n.js";

addTexts({
  fr: {
    "member.title": "Salons des membres",
    "member.filter": "Chercher un salon",
    "member.none": "Aucun salon ne correspond.",
    "member.create": "Créer un salon",
    "member.create.title": "Créer un salon",
    "member.create.name": "Nom du salon",
    "member.create.topic": "Sujet (facultatif)",
    "member.create.submit": "Créer",
    "member.create.hint": "Tu en seras le propriétaire. Les règles du site s'y appliquent, et l'équipe de modération le voit.",
    "member.cancel": "Annuler",
    "member.owner": "par {nick}",
    "member.settings": "Réglages du salon",
    "member.settings.title": "Réglages de « {name} »",
    "member.topic": "Sujet",
    "member.moderated": "Modéré (seuls le propriétaire, les opérateurs et qui a la parole parlent)",
    "member.invite_only": "Sur invitation",
    "member.unlisted": "Masqué de la liste",
    "member.topic_locked": "Sujet réservé aux opérateurs",
    "member.key": "Clé (vide : aucune)",
    "member.limit": "Nombre maximum de personnes (0 : pas de limite)",
    "member.teen_open": "Chez les ados, les salons restent visibles et ouverts à tous.",
    "member.save": "Enregistrer",
    "member.close": "Fermer",
    "member.people": "Personnes",
    "member.nick": "Pseudo",
    "member.op": "Nommer opérateur",
    "member.deop": "Retirer opérateur",
    "member.voice": "Donner la parole",
    "member.devoice": "Retirer la parole",
    "member.kick": "Faire sortir",
    "member.ban": "Bannir",
    "member.unban": "Lever le ban",
    "member.operators": "Opérateurs : {list}",
    "member.voiced": "Ont la parole : {list}",
    "member.banned": "Bannis : {list}",
    "member.invited_list": "Invités : {list}",
    "member.nobody": "personne",
    "member.invite": "Inviter dans…",
    "member.invite.room": "Salon",
    "member.invite.send": "Inviter",
    "member.keyed": "Clé",
    "member.closed": "Sur invitation",
  },
  en: {
    "member.title": "Members' rooms",
    "member.filter": "Find a room",
    "member.none": "No room matches.",
    "member.create": "Make a room",
    "member.create.title": "Make a room",
    "member.create.name": "Room name",
    "member.create.topic": "Topic (optional)",
    "member.create.submit": "Make it",
    "member.create.hint": "You will own it. The site's rules apply there, and the moderators see it.",
    "member.cancel": "Cancel",
    "member.owner": "by {nick}",
    "member.settings": "Room settings",
    "member.settings.title": "Settings of “{name}”",
    "member.topic": "Topic",
    "member.moderated": "Moderated (only the owner, operators and people given a voice speak)",
    "member.invite_only": "Invitation only",
    "member.unlisted": "Hidden from the list",
    "member.topic_locked": "Topic for operators only",
    "member.key": "Key (empty: none)",
    "member.limit": "Most people at once (0: no limit)",
    "member.teen_open": "In the teen space, rooms stay listed and open to all.",
    "member.save": "Save",
    "member.close": "Close",
    "member.people": "People",
    "member.nick": "Nickname",
    "member.op": "Make operator",
    "member.deop": "Remove operator",
    "member.voice": "Give a voice",
    "member.devoice": "Take the voice back",
    "member.kick": "Take out",
    "member.ban": "Ban",
    "member.unban": "Lift the ban",
    "member.operators": "Operators: {list}",
    "member.voiced": "Given a voice: {list}",
    "member.banned": "Banned: {list}",
    "member.invited_list": "Invited: {list}",
    "member.nobody": "nobody",
    "member.invite": "Invite to…",
    "member.invite.room": "Room",
    "member.invite.send": "Invite",
    "member.keyed": "Key",
    "member.closed": "Invitation only",
  },
});

function fold(text) {
  return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function field(label, input) {
  return el("label", { className: "field" }, el("span", { className: "field-label", text: label }), input);
}

function check(label, testid) {
  const box = el("input", { type: "checkbox", testid });
  return [box, el("label", { className: "field field-check" }, box, el("span", { text: label }))];
}

export class MemberRoomsView {
  #handlers;
  #filter = "";
  #room = null; // the room whose settings are open

  /** handlers: onOpenRoom(room), onCreate({name, topic}), onOpenSettings(room),
   * onSave(room, topic|null, modes), onPerson(type, room, nick, fields). */
  constructor(handlers) {
    this.#handlers = handlers;
    this.section = byId("member-rooms");
    this.search = el("input", {
      type: "search",
      className: "member-rooms-filter",
      testid: "member-rooms-filter",
      attrs: { "aria-label": t("member.filter"), placeholder: t("member.filter"), maxlength: 60 },
      on: { input: () => this.#filtered() },
    });
    this.createButton = el("button", {
      type: "button",
      className: "button button-quiet member-rooms-create",
      testid: "create-room",
      text: t("member.create"),
      attrs: { "aria-haspopup": "dialog" },
      on: { click: () => this.openCreate() },
    });
    this.title = el("h2", { className: "panel-title", text: t("member.title") });
    this.list = el("ul", { className: "room-list", testid: "member-room-list" });
    this.empty = el("p", { className: "muted", text: t("member.none"), hidden: true });
    this.section.replaceChildren(
      this.title,
      el("div", { className: "member-rooms-tools" }, this.search, this.createButton),
      this.list,
      this.empty,
    );
    this.#buildCreate();
    this.#buildSettings();
  }

  render(rooms, { isOpen, isActive, runs }) {
    this.rooms = rooms;
    this.flags = { isOpen, isActive, runs };
    this.title.textContent = t("member.title");
    this.#filtered();
  }

  #filtered() {
    this.#filter = fold(this.search.value.trim());
    const rooms = (this.rooms ?? []).filter((room) => fold(room.name ?? room.id).includes(this.#filter));
    this.list.replaceChildren(...rooms.map((room) => this.#item(room)));
    this.empty.hidden = rooms.length > 0 || !(this.rooms ?? []).length;
  }

  #item(room) {
    const { isOpen, isActive, runs } = this.flags;
    const modes = room.modes ?? {};
    const marks = [modes.invite_only ? t("member.closed") : null, modes.keyed ? t("member.keyed") : null]
      .filter(Boolean)
      .join(" · ");
    return el(
      "li",
      { className: "member-room" },
      el(
        "button",
        {
          type: "button",
          className: `room${isOpen(room) ? " is-open" : ""}${isActive(room) ? " is-active" : ""}`,
          testid: `room-${room.id}`,
          attrs: { "aria-current": isActive(room) ? "true" : null },
          on: { click: () => this.#handlers.onOpenRoom(room) },
        },
        el("span", { className: "room-name", text: room.name ?? room.id }),
        el("span", { className: "room-owner muted", text: room.owner ? t("member.owner", { nick: room.owner }) : "" }),
        marks ? el("span", { className: "room-marks muted", text: marks }) : null,
        el("span", { className: "room-count", text: String(Number(room.members) || 0) }),
      ),
      runs(room)
        ? el("button", {
            type: "button",
            className: "button button-quiet member-room-settings",
            testid: `member-settings-${room.id}`,
            title: t("member.settings"),
            text: "⚙",
            attrs: { "aria-label": t("member.settings"), "aria-haspopup": "dialog" },
            on: { click: () => this.#handlers.onOpenSettings(room) },
          })
        : null,
    );
  }

  // -- making one ------------------------------------------------------------------------

  #buildCreate() {
    this.nameInput = el("input", { type: "text", testid: "create-room-name", required: true, attrs: { maxlength: 60, minlength: 2 } });
    this.topicInput = el("input", { type: "text", testid: "create-room-topic", attrs: { maxlength: 300 } });
    this.createError = el("p", { className: "form-error", testid: "create-room-error", attrs: { role: "alert" }, hidden: true });
    const form = el(
      "form",
      { className: "dialog-body", on: { submit: (event) => this.#submitCreate(event) } },
      el("h2", { className: "dialog-title", text: t("member.create.title") }),
      el("p", { className: "muted", text: t("member.create.hint") }),
      field(t("member.create.name"), this.nameInput),
      field(t("member.create.topic"), this.topicInput),
      this.createError,
      el(
        "div",
        { className: "dialog-actions" },
        el("button", { type: "button", className: "button button-quiet", text: t("member.cancel"), on: { click: () => this.createDialog.close() } }),
        el("button", { type: "submit", className: "button button-primary", testid: "create-room-submit", text: t("member.create.submit") }),
      ),
    );
    this.createDialog = el("dialog", { className: "dialog", testid: "create-room-dialog" }, form);
    document.body.append(this.createDialog);
  }

  openCreate() {
    this.createError.hidden = true;
    this.nameInput.value = "";
    this.topicInput.value = "";
    if (!this.createDialog.open) this.createDialog.showModal();
    this.nameInput.focus();
  }

  #submitCreate(event) {
    event.preventDefault();
    const name = this.nameInput.value.trim();
    if (!name) return;
    this.createError.hidden = true;
    this.#handlers.onCreate({ name, topic: this.topicInput.value.trim() });
  }

  created() {
    if (this.createDialog.open) this.createDialog.close();
  }

  createRefused(text) {
    this.createError.textContent = text;
    this.createError.hidden = false;
    if (!this.createDialog.open) this.createDialog.showModal();
  }

  // -- running one -----------------------------------------------------------------------

  #buildSettings() {
    this.topicField = el("input", { type: "text", testid: "settings-topic", attrs: { maxlength: 300 } });
    const [moderated, moderatedRow] = check(t("member.moderated"), "mode-moderated");
    const [inviteOnly, inviteRow] = check(t("member.invite_only"), "mode-invite-only");
    const [unlisted, unlistedRow] = check(t("member.unlisted"), "mode-unlisted");
    const [topicLocked, topicRow] = check(t("member.topic_locked"), "mode-topic-locked");
    this.modes = { moderated, invite_only: inviteOnly, unlisted, topic_locked: topicLocked };
    this.keyField = el("input", { type: "text", testid: "mode-key", attrs: { maxlength: 23 } });
    this.limitField = el("input", { type: "number", testid: "mode-limit", attrs: { min: 0, max: 10000 } });
    this.keyRow = field(t("member.key"), this.keyField);
    this.closedRows = [inviteRow, unlistedRow, this.keyRow];
    this.teenNote = el("p", { className: "muted", text: t("member.teen_open"), hidden: true });
    this.settingsTitle = el("h2", { className: "dialog-title" });
    this.roles = el("div", { className: "member-roles", testid: "member-roles" });
    this.settingsError = el("p", { className: "form-error", testid: "settings-error", attrs: { role: "alert" }, hidden: true });
    this.personField = el("input", { type: "text", testid: "settings-nick", attrs: { maxlength: 20 } });
    const person = (type, text, fields) =>
      el("button", {
        type: "button",
        className: "button button-quiet",
        testid: `settings-${type}-${fields?.on === false ? "off" : "on"}`,
        text,
        on: { click: () => this.#person(type, fields) },
      });
    const form = el(
      "form",
      { className: "dialog-body", on: { submit: (event) => this.#save(event) } },
      this.settingsTitle,
      field(t("member.topic"), this.topicField),
      moderatedRow,
      topicRow,
      inviteRow,
      unlistedRow,
      this.keyRow,
      field(t("member.limit"), this.limitField),
      this.teenNote,
      el("h3", { text: t("member.people") }),
      this.roles,
      field(t("member.nick"), this.personField),
      el(
        "div",
        { className: "dialog-actions member-person-actions" },
        person("room_operator", t("member.op"), { on: true }),
        person("room_operator", t("member.deop"), { on: false }),
        person("room_voice", t("member.voice"), { on: true }),
        person("room_voice", t("member.devoice"), { on: false }),
        person("kick", t("member.kick")),
        person("room_ban", t("member.ban"), { on: true }),
        person("room_ban", t("member.unban"), { on: false }),
      ),
      this.settingsError,
      el(
        "div",
        { className: "dialog-actions" },
        el("button", { type: "button", className: "button button-quiet", text: t("member.close"), on: { click: () => this.settingsDialog.close() } }),
        el("button", { type: "submit", className: "button button-primary", testid: "settings-save", text: t("member.save") }),
      ),
    );
    this.settingsDialog = el("dialog", { className: "dialog", testid: "member-settings-dialog" }, form);
    this.settingsDialog.addEventListener("close", () => {
      this.#room = null;
    });
    document.body.append(this.settingsDialog);
  }

  openSettings(room, settings, isTeen) {
    this.#room = room;
    this.settingsError.hidden = true;
    this.personField.value = "";
    const empty = { room, key: "", operators: [], voiced: [], banned: [], invited: [] };
    this.#fill(settings ?? empty, isTeen);
    if (!this.settingsDialog.open) this.settingsDialog.showModal();
    this.topicField.focus();
  }

  /** A `room_settings` frame: shown if that room's settings are open. */
  showSettings(frame, isTeen) {
    if (this.#room?.id !== frame.room?.id || !this.settingsDialog.open) return;
    this.#room = frame.room;
    this.#fill(frame, isTeen);
  }

  settingsRefused(text) {
    if (!this.settingsDialog.open) return false;
    this.settingsError.textContent = text;
    this.settingsError.hidden = false;
    return true;
  }

  #fill(settings, isTeen) {
    const room = settings.room;
    const modes = room.modes ?? {};
    this.settingsTitle.textContent = t("member.settings.title", { name: room.name });
    this.topicField.value = room.topic ?? "";
    for (const [name, box] of Object.entries(this.modes)) box.checked = Boolean(modes[name]);
    this.keyField.value = settings.key ?? "";
    this.limitField.value = String(room.member_limit ?? 0);
    const isTeenRoom = room.audience === "teen" || isTeen;
    for (const row of this.closedRows) row.hidden = isTeenRoom;
    this.teenNote.hidden = !isTeenRoom;
    const list = (key, names) =>
      el("p", { text: t(key, { list: names?.length ? names.join(", ") : t("member.nobody") }) });
    this.roles.replaceChildren(
      list("member.operators", settings.operators),
      list("member.voiced", settings.voiced),
      list("member.banned", settings.banned),
      list("member.invited_list", settings.invited),
    );
  }

  #save(event) {
    event.preventDefault();
    const room = this.#room;
    if (!room) return;
    this.settingsError.hidden = true;
    const topic = this.topicField.value.trim();
    const modes = {
      moderated: this.modes.moderated.checked,
      topic_locked: this.modes.topic_locked.checked,
      member_limit: Math.max(0, Math.floor(Number(this.limitField.value) || 0)),
    };
    if (room.audience !== "teen") {
      modes.invite_only = this.modes.invite_only.checked;
      modes.unlisted = this.modes.unlisted.checked;
      modes.key = this.keyField.value.trim();
    }
    this.#handlers.onSave(room, topic === (room.topic ?? "") ? null : topic, modes);
  }

  #person(type, fields) {
    const nick = this.personField.value.trim();
    if (!nick || !this.#room) return;
    this.settingsError.hidden = true;
    this.#handlers.onPerson(type, this.#room, nick, fields);
  }

  // -- inviting from a person's card ----------------------------------------------------

  /** "Inviter dans…": a button that shows the rooms to choose from, then sends. */
  inviteControl(rooms, onInvite) {
    const select = el(
      "select",
      { testid: "invite-room", attrs: { "aria-label": t("member.invite.room") } },
      rooms.map((room) => el("option", { value: room.id, text: room.name ?? room.id })),
    );
    const send = el("button", {
      type: "button",
      className: "button button-primary",
      testid: "invite-send",
      text: t("member.invite.send"),
      on: {
        click: () => {
          const room = rooms.find((known) => known.id === select.value);
          if (room) onInvite(room);
          picker.hidden = true;
        },
      },
    });
    const picker = el("div", { className: "invite-picker", hidden: true }, select, send);
    const open = el("button", {
      type: "button",
      className: "button button-quiet",
      testid: "profile-invite",
      text: t("member.invite"),
      attrs: { "aria-expanded": "false" },
      on: {
        click: () => {
          picker.hidden = !picker.hidden;
          open.setAttribute("aria-expanded", String(!picker.hidden));
          if (!picker.hidden) select.focus();
        },
      },
    });
    return el("div", { className: "profile-invite" }, open, picker);
  }
}
