"""User-facing texts of member rooms (core/policy/member_rooms.py, node/member_rooms.py),
French first, English too; `i18n.TEXTS` includes them."""

from __future__ import annotations

from collections.abc import Mapping

ROOM_TEXTS: Mapping[str, Mapping[str, str]] = {
    "room_games_unfit": {
        "fr": "Jeu inconnu ou non permis dans ce salon : {names}. Jeux possibles : {choices}.",
        "en": "Unknown game, or not allowed in this room: {names}. Possible games: {choices}.",
    },
    "invite_only": {"fr": "Salon sur invitation.", "en": "Invitation only."},
    "bad_key": {"fr": "Clé du salon incorrecte.", "en": "Wrong room key."},
    "room_trust_needed": {
        "fr": "Discute un peu avant de créer un salon.",
        "en": "Chat a little before making a room.",
    },
    "rooms_owned_limit": {
        "fr": "Tu as déjà {max} salons : ferme-en un avant d'en créer un autre.",
        "en": "You already own {max} rooms: close one before making another.",
    },
    "rooms_created_limit": {
        "fr": "Tu as créé {max} salons aujourd'hui : réessaie demain.",
        "en": "You made {max} rooms today: try again tomorrow.",
    },
    "rooms_cluster_limit": {
        "fr": "Trop de salons ouverts en ce moment : réessaie plus tard.",
        "en": "Too many rooms are open right now: try again later.",
    },
    "room_needs_verified_age": {
        "fr": "Seul un adulte dont l'âge est vérifié peut créer ce salon.",
        "en": "Only an adult whose age is verified may make this room.",
    },
    "room_audience_band": {
        "fr": "Un salon est ouvert à ta tranche d'âge.",
        "en": "A room is open to your own age group.",
    },
    "room_official": {
        "fr": "Ce salon officiel est géré par l'équipe.",
        "en": "This official room is run by the team.",
    },
    "room_operator_only": {
        "fr": "Réservé au propriétaire et aux opérateurs du salon.",
        "en": "For the room's owner and operators only.",
    },
    "room_owner_only": {
        "fr": "Réservé au propriétaire du salon.",
        "en": "For the room's owner only.",
    },
    "room_target_protected": {
        "fr": "Tu ne peux pas viser le propriétaire ni un opérateur.",
        "en": "You cannot act on the owner or an operator.",
    },
    "room_target_banned": {
        "fr": "Cette personne est bannie du salon.",
        "en": "This person is banned from the room.",
    },
    "room_target_in_room": {
        "fr": "Cette personne est déjà dans le salon.",
        "en": "This person is already in the room.",
    },
    "room_target_absent": {
        "fr": "Cette personne n'est pas dans le salon.",
        "en": "This person is not in the room.",
    },
    "room_list_full": {
        "fr": "Liste pleine ({max} au plus).",
        "en": "List full ({max} at most).",
    },
    "room_key_format": {
        "fr": "Clé : 1 à {max} caractères, sans espace ni virgule.",
        "en": "Key: 1 to {max} characters, no space or comma.",
    },
    "teen_room_open": {
        "fr": "Chez les ados, les salons restent visibles et ouverts à tous.",
        "en": "In the teen space, rooms stay listed and open to all.",
    },
    "room_banned": {"fr": "Tu es banni de ce salon.", "en": "You are banned from this room."},
    "room_invite_only": {
        "fr": "Ce salon est sur invitation.",
        "en": "This room is by invitation only.",
    },
    "room_bad_key": {
        "fr": "Ce salon demande une clé.",
        "en": "This room needs a key.",
    },
    "room_moderated": {
        "fr": "Salon modéré : seuls le propriétaire et les opérateurs parlent.",
        "en": "Moderated room: only the owner and operators speak.",
    },
    "room_invited": {
        "fr": "{by} t'invite dans le salon « {name} ».",
        "en": "{by} invites you to the room “{name}”.",
    },
    "room_kicked": {
        "fr": "{by} t'a fait sortir du salon « {name} »{reason}.",
        "en": "{by} took you out of the room “{name}”{reason}.",
    },
    "room_banned_by": {
        "fr": "{by} t'a banni du salon « {name} »{reason}.",
        "en": "{by} banned you from the room “{name}”{reason}.",
    },
    "room_ended": {
        "fr": "Le salon « {name} » s'est fermé : plus personne n'y était.",
        "en": "The room “{name}” ended: nobody was left in it.",
    },
}
