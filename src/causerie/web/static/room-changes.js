// Rooms the operator changes while people are connected (docs/protocol.md): `room_updated`
// adds a room to the list or changes it there (name, topic, pictures…); `room_archived` takes
// it out of the list and closes it if it was open, with a notice saying it was closed.

import { addTexts, t } from "./i18n.js";
import { roomIdOf, roomKey } from "./state.js";

addTexts({
  fr: { "room.archived": "Le salon « {name} » a été fermé par l'équipe." },
  en: { "room.archived": "The room “{name}” was closed by the team." },
});

/** Apply a `room_updated` or `room_archived` frame to the app's state; true if it was one. */
export function onRoomChange(app, frame) {
  const state = app.state;
  if (frame.type === "room_updated") {
    const room = frame.room;
    if (!room || typeof room.id !== "string") return true;
    const rooms = state.rooms.filter((known) => known.id !== room.id);
    const index = state.rooms.findIndex((known) => known.id === room.id);
    rooms.splice(index < 0 ? rooms.length : index, 0, room);
    state.setRooms(rooms);
    return true;
  }
  if (frame.type === "room_archived") {
    const roomId = roomIdOf(frame.room);
    state.setRooms(state.rooms.filter((known) => known.id !== roomId));
    const key = roomKey(roomId);
    if (state.get(key)) {
      state.close(key);
      app.notices.add("info", t("room.archived", { name: String(frame.name ?? roomId) }));
    }
    return true;
  }
  return false;
}
