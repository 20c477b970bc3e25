// Rooms people make (docs/protocol.md, "Member rooms"), apart from the controller: "Créer un
// salon", the member rooms listed apart with a filter by name, their owner's and operators'
// settings (topic, modes, key, limit, operators, kicks and bans), "Inviter dans…" on a
// person's card, an invitation received, and a keyed room's key asked for on entering.
//
// Frames: `room_created` (the reply to `create_room`: the room is joined at once),
// `room_settings` (the owner's or an operator's view, the reply to each of their changes),
// `invited {room, by}`. Refusals of these requests come back here from refusals.js.

import { addTexts, t } from "./i18n.js";
import { sameNick } from "./people.js";
import { roomIdOf, roomKey } from "./state.js";
import { MemberRoomsView } from "./views/member-rooms.js";

addTexts({
  fr: {
    "member.invited": "{by} t'invite dans le salon « {name} ».",
    "member.invite_sent": "Invitation envoyée à {nick}.",
    "member.key_prompt": "Ce salon demande une clé. Laquelle ?",
    "member.created": "Ton salon « {name} » est ouvert.",
    "member.kicked_other": "{nick} a été exclu·e de « {name} » par {by}.",
    "member.kicked_other_reason": "{nick} a été exclu·e de « {name} » par {by} : {reason}",
  },
  en: {
    "member.invited": "{by} invites you to the room “{name}”.",
    "member.invite_sent": "Invitation sent to {nick}.",
    "member.key_prompt": "This room needs a key. Which one?",
    "member.created": "Your room “{name}” is open.",
    "member.kicked_other": "{nick} was removed from “{name}” by {by}.",
    "member.kicked_other_reason": "{nick} was removed from “{name}” by {by}: {reason}",
  },
});

/** Requests whose answers and refusals come back here. */
const MINE = new Set([
  "create_room",
  "room_topic",
  "room_modes",
  "room_operator",
  "room_voice",
  "invite",
  "kick",
  "room_ban",
  "room_settings",
]);

/** Whether a room object is a member room (official rooms carry no `owner`). */
export function isMemberRoom(room) {
  return Boolean(room) && Object.hasOwn(room, "owner");
}

export class MemberRooms {
  #app;
  #settings = new Map(); // room id -> the last `room_settings` frame (owner, operators)

  /** app: the controller (state, request(), takeRequest(), openRoom(), notices, render()). */
  constructor(app) {
    this.#app = app;
    this.view = new MemberRoomsView({
      onOpenRoom: (room) => app.openRoom(room),
      onCreate: (fields) => app.request("create_room", fields),
      onOpenSettings: (room) => {
        this.view.openSettings(room, this.#settings.get(room.id) ?? null, app.state.isTeen);
        app.request("room_settings", { room: room.id });
      },
      onSave: (room, topic, modes) => {
        if (topic !== null) app.request("room_topic", { room: room.id, topic });
        app.request("room_modes", { room: room.id, ...modes });
      },
      onPerson: (type, room, nick, fields = {}) =>
        app.request(type, { room: room.id, nick, ...fields }, { nick }),
    });
  }

  /** Rooms the section lists: member rooms I may see. */
  rooms() {
    return this.#app.state.rooms.filter(isMemberRoom);
  }

  /** Whether I run `room` (its owner, or an operator its settings named). */
  runs(room) {
    const me = this.#app.state.me?.nick;
    if (!me || !isMemberRoom(room)) return false;
    if (room.owner && sameNick(room.owner, me)) return true;
    return (this.#settings.get(room.id)?.operators ?? []).some((nick) => sameNick(nick, me));
  }

  render() {
    const state = this.#app.state;
    this.view.render(this.rooms(), {
      isOpen: (room) => state.conversations.has(roomKey(room.id)),
      isActive: (room) => state.activeKey === roomKey(room.id),
      runs: (room) => this.runs(room),
    });
  }

  /** A `presence` frame with `by`: someone was taken out of a room we are in (a kick). */
  onPresence(frame) {
    if (!frame.by || frame.state !== "left") return;
    const roomId = roomIdOf(frame.room);
    const name = this.#app.state.room(roomId)?.name ?? roomId;
    const key = frame.reason ? "member.kicked_other_reason" : "member.kicked_other";
    const nick = String(frame.user?.nick ?? "");
    this.#app.notices.add("info", t(key, { nick, name, by: frame.by, reason: frame.reason }));
  }

  /** A frame of ours; false for any other (the controller ignores what it does not know). */
  onFrame(frame) {
    const app = this.#app;
    switch (frame.type) {
      case "room_created": {
        app.takeRequest(frame.re);
        this.#upsert(frame.room);
        this.view.created();
        app.notices.add("info", t("member.created", { name: frame.room.name }));
        app.openRoom(frame.room);
        break;
      }
      case "room_settings": {
        const meta = app.takeRequest(frame.re);
        this.#settings.set(frame.room.id, frame);
        this.#upsert(frame.room);
        this.view.showSettings(frame, app.state.isTeen);
        if (meta?.type === "invite") {
          app.notices.add("info", t("member.invite_sent", { nick: meta.nick }));
        }
        break;
      }
      case "invited":
        this.#upsert(frame.room);
        app.notices.add("info", t("member.invited", { by: frame.by, name: frame.room.name }));
        break;
      default:
        return false;
    }
    app.render();
    return true;
  }

  /** A refusal of one of our requests, or of entering a member room; true when handled. */
  refused(frame, meta, text) {
    const app = this.#app;
    if (meta?.type === "join" && frame.code === "bad_key" && meta.room) {
      const key = window.prompt(t("member.key_prompt"));
      if (key) app.request("join", { room: meta.room, key }, { activate: true, room: meta.room });
      return true;
    }
    if (!MINE.has(meta?.type)) return false;
    if (meta.type === "create_room") this.view.createRefused(text);
    else if (!this.view.settingsRefused(text)) app.notices.add("error", text);
    return true;
  }

  /** "Inviter dans…" on `user`'s card: the member rooms I am in, or nothing. */
  inviteAction(user) {
    const state = this.#app.state;
    if (state.isMe(user.nick)) return null;
    const rooms = this.rooms().filter((room) => state.conversations.has(roomKey(room.id)));
    if (!rooms.length) return null;
    return this.view.inviteControl(rooms, (room) =>
      this.#app.request("invite", { room: room.id, nick: user.nick }, { nick: user.nick }),
    );
  }

  #upsert(room) {
    if (!room || typeof room.id !== "string") return;
    const state = this.#app.state;
    const id = roomIdOf(room);
    const rooms = state.rooms.filter((known) => known.id !== id);
    state.setRooms([...rooms, room]);
  }
}
