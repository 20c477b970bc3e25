"""Rooms: what a room is, and the default set seeded on a new installation.

A room is official (the operator's: `owner` None) or a member's (`owner` is the nickname of
who made it, core/policy/member_rooms.py). Both carry the same settings: topic, pictures,
member limit; slow mode and the lock are moderators' restrictions kept beside it
(`core/restrictions.py`). A member room also carries what its owner and operators decide, in
terms an IRC channel maps one to one (docs/protocol.md, "Member rooms"):

    RoomModes.moderated    +m   only the owner, operators and voiced members speak
    RoomModes.invite_only  +i   only people invited (or the owner) enter
    RoomModes.key          +k   entering needs the key
    Room.member_limit      +l   people in it at once
    RoomModes.unlisted     +s   left out of room lists for non-members (still joinable)
    RoomModes.topic_locked +t   only the owner and operators set the topic
    (always on)            +n   only members speak in it
    RoomAccess.operators   +o   nicknames the owner named operators
    RoomAccess.voiced      +v   nicknames the owner or an operator gave a voice (+m)
    RoomAccess.banned      +b   nicknames banned from it
    RoomAccess.invited     INVITE: nicknames invited in

People are named by their nickname, compared by its key (`nicknames.nick_key`, so `Élodie`
and `elodie` are one person): a nickname is unique across
the cluster while its person is connected or within the resume grace, and a person gone for
good loses their roles (the node's member rooms service drops them). The seeded rooms are
ordinary official rooms once stored: the operator may edit or archive them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class RoomKind(StrEnum):
    THEMATIC = "thematic"
    REGIONAL = "regional"
    TEEN = "teen"


class Audience(StrEnum):
    """Who may see and enter a room (DESIGN.md, rule 2)."""

    TEEN = "teen"
    ADULT = "adult"
    ADULT_VERIFIED = "adult_verified"


@dataclass(frozen=True, slots=True)
class RoomModes:
    """What a member room's owner and operators switch on and off (IRC channel modes)."""

    moderated: bool = False
    invite_only: bool = False
    key: str = ""  # "": none
    unlisted: bool = False
    topic_locked: bool = True


@dataclass(frozen=True, slots=True)
class RoomAccess:
    """Who holds a role in a member room: nicknames as written, compared by their key."""

    operators: frozenset[str] = frozenset()
    banned: frozenset[str] = frozenset()
    invited: frozenset[str] = frozenset()
    voiced: frozenset[str] = frozenset()  # who speaks in a moderated room (+v)


NO_MODES = RoomModes()
NO_ACCESS = RoomAccess()


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    kind: RoomKind
    audience: Audience
    position: int = 0
    topic: str = ""
    pictures: bool = True  # whether members may post pictures here (a room setting)
    member_limit: int = 0  # people in it at once; 0: no limit
    owner: str | None = None  # None: an official room; a member room names its owner
    modes: RoomModes = NO_MODES  # a member room's (official rooms keep the defaults)
    access: RoomAccess = NO_ACCESS
    # The games it allows (their names, sorted; the `room_games` setting, docs/games.md).
    games: tuple[str, ...] = ()
    # When it was made and its topic last changed, as stored (0: not known, a room not yet
    # stored). The store keeps them: they are not settings, and two rooms alike but for them
    # are the same room.
    created_ms: int = field(default=0, compare=False)
    topic_set_ms: int = field(default=0, compare=False)

    @property
    def is_official(self) -> bool:
        return self.owner is None

    @property
    def is_member_room(self) -> bool:
        return self.owner is not None


def _rooms(
    kind: RoomKind, audience: Audience, start: int, entries: list[tuple[str, str, str]]
) -> list[Room]:
    # Teen rooms start without pictures: in a room everyone is a stranger, and minors receive
    # no pictures from strangers (DESIGN.md rule 4). An operator may change it per room.
    pictures = audience is not Audience.TEEN
    return [
        Room(room_id, name, kind, audience, start + index, topic, pictures)
        for index, (room_id, name, topic) in enumerate(entries)
    ]


METROPOLITAN_REGIONS: tuple[str, ...] = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
)
OVERSEAS_ROOM_NAME = "Outre-mer"


def region_room_id(region: str) -> str:
    """`Île-de-France` -> `region-ile-de-france`: ids are ASCII so IRC can carry them."""
    folded = region.lower()
    for accented, plain in (("é", "e"), ("è", "e"), ("ô", "o"), ("î", "i"), ("'", "-"), (" ", "-")):
        folded = folded.replace(accented, plain)
    return f"region-{folded}"


DEFAULT_ROOMS: tuple[Room, ...] = (
    *_rooms(
        RoomKind.THEMATIC,
        Audience.ADULT,
        0,
        [
            ("general", "Général", "On parle de tout, gentiment."),
            ("musique", "Musique", "Ce que vous écoutez en ce moment."),
            ("jeux-video", "Jeux vidéo", "Consoles, PC, mobiles."),
            ("sport", "Sport", "Foot, rugby, course, tout le sport."),
            ("cinema-series", "Cinéma et séries", "Sans divulgâcher, s'il vous plaît."),
            ("actualite", "Actualité", "L'actu, dans le respect de chacun."),
            ("cuisine", "Cuisine", "Recettes et bonnes adresses."),
            ("lgbt", "LGBT+", "Un espace bienveillant."),
            ("etudiants", "Étudiants", "Cours, partiels, vie étudiante."),
            ("18-25", "18-25 ans", ""),
            ("25-35", "25-35 ans", ""),
            ("35-50", "35-50 ans", ""),
            ("50-plus", "50 ans et plus", ""),
            ("jeux", "Jeux", "Quiz, pendu, Motus… Tapez !jeux pour la liste."),
        ],
    ),
    *_rooms(
        RoomKind.THEMATIC,
        Audience.ADULT_VERIFIED,
        50,
        [
            (
                "charme",
                "Charme (adultes vérifiés)",
                "Sujets sexuels entre adultes dont l'âge a été vérifié. Respect et consentement.",
            ),
        ],
    ),
    *_rooms(
        RoomKind.REGIONAL,
        Audience.ADULT,
        100,
        [
            *((region_room_id(region), region, "") for region in METROPOLITAN_REGIONS),
            (
                "region-outre-mer",
                OVERSEAS_ROOM_NAME,
                "Guadeloupe, Martinique, Guyane, La Réunion, "
                "Mayotte et les collectivités d'outre-mer.",
            ),
        ],
    ),
    *_rooms(
        RoomKind.TEEN,
        Audience.TEEN,
        200,
        [
            ("ados-general", "Ados — Général", "Pour les 13-17 ans. Ne donne jamais ton adresse."),
            ("ados-college-lycee", "Ados — Collège et lycée", "Devoirs, profs, orientation."),
            ("ados-jeux-video", "Ados — Jeux vidéo", ""),
            ("ados-musique", "Ados — Musique", ""),
            ("ados-series", "Ados — Séries et films", ""),
            ("ados-jeux", "Ados — Jeux", "Quiz, pendu, Motus… Tape !jeux pour la liste."),
        ],
    ),
)
