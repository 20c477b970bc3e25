"""Statements of reasons (EU Digital Services Act, art. 17; DESIGN.md rule 6): what the user
is told when a decision restricts them, or when their report is decided.

A statement says what was decided, on what ground, whether by automated means or by a person,
how the matter came up (a report, automatic detection, a moderator's own initiative), for how
long, which content it concerns, and how to appeal and until when (art. 20: at least six
months; here `APPEAL_WINDOW_DAYS`). `render` writes it as plain text in French or English.

Pure: callers pass `decided_at_ms` and the time zone; nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Final

APPEAL_WINDOW_DAYS: Final = 183
APPEAL_WINDOW_MS: Final = APPEAL_WINDOW_DAYS * 86_400_000
EXCERPT_MAX_CHARS: Final = 280
EXPLANATION_MAX_CHARS: Final = 1000
_LAST_DATE_MS: Final = 253_402_214_400_000  # 9999-12-31T00:00Z, a day short of datetime's end


class Decision(StrEnum):
    """What was decided. The last two answer a reporter about their report."""

    WARNING = "warning"
    MESSAGE_REMOVED = "message_removed"
    MESSAGE_BLOCKED = "message_blocked"  # never delivered
    HELD = "held"  # waits for a moderator
    MUTED = "muted"
    KICKED = "kicked"
    BANNED_ROOM = "banned_room"
    BANNED_SITE = "banned_site"
    SUSPENDED = "suspended"  # art. 23: repeated violations or abuse of the report button
    MOVED_OUT_OF_TEEN_SPACE = "moved_out_of_teen_space"  # the device keeps the adult band
    ROOM_CLOSED = "room_closed"  # a member room a moderator closed (told to its owner)
    REPORT_DISMISSED = "report_dismissed"
    REPORT_ACTIONED = "report_actioned"


#: Decisions that last for a time (or for good, when the duration is None).
TIMED_DECISIONS: Final = frozenset(
    {
        Decision.MUTED,
        Decision.BANNED_ROOM,
        Decision.BANNED_SITE,
        Decision.SUSPENDED,
        Decision.MOVED_OUT_OF_TEEN_SPACE,
    }
)


class Ground(StrEnum):
    """The rule broken: the report categories, the automatic rules' own, and art. 23's."""

    CHILD_SAFETY = "child_safety"
    THREAT = "threat"
    HARASSMENT = "harassment"
    HATE = "hate"
    ILLEGAL_GOODS = "illegal_goods"
    SEXUAL_CONTENT = "sexual_content"
    SPAM = "spam"
    CONTACT_DETAILS_MINOR = "contact_details_minor"
    MEETING_MINOR = "meeting_minor"
    REPORT_ABUSE = "report_abuse"
    REPEATED_VIOLATIONS = "repeated_violations"
    ADULT_IN_TEEN_SPACE = "adult_in_teen_space"  # a declared age moderators do not believe
    OTHER = "other"


class Source(StrEnum):
    """How the matter came to the site's attention (art. 17(3)(b) and (c))."""

    REPORT = "report"
    AUTOMATIC_DETECTION = "automatic_detection"
    MODERATOR = "moderator"


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement of reasons. Build one with `make_statement`, which checks and derives fields.

    `duration_ms` is None for a permanent decision, and always None for a decision that does
    not last (`TIMED_DECISIONS` lists those that do). `excerpt` is the content concerned,
    already shortened to `EXCERPT_MAX_CHARS`; None when it is not text (a picture). `room` is
    the room as people know it, by its name ("Général"), never its id.
    """

    id: str
    decision: Decision
    ground: Ground
    is_automatic: bool
    source: Source
    decided_at_ms: int
    duration_ms: int | None
    appeal_deadline_ms: int
    excerpt: str | None = None
    room: str | None = None
    rule_id: str | None = None
    explanation: str = ""

    @property
    def ends_at_ms(self) -> int | None:
        """When a timed decision ends by itself; None if permanent or not timed."""
        return None if self.duration_ms is None else self.decided_at_ms + self.duration_ms

    @property
    def is_permanent(self) -> bool:
        return self.decision in TIMED_DECISIONS and self.duration_ms is None


def make_statement(
    *,
    statement_id: str,
    decision: Decision,
    ground: Ground,
    is_automatic: bool,
    source: Source,
    decided_at_ms: int,
    duration_ms: int | None = None,
    content: str | None = None,
    room: str | None = None,
    rule_id: str | None = None,
    explanation: str = "",
) -> Statement:
    """A statement whose appeal deadline is `decided_at_ms` + `APPEAL_WINDOW_MS`.

    Args:
        content: the text concerned, in full; it is shortened and flattened to one line.
        rule_id: the automatic rule that decided; required when `is_automatic`.
        explanation: the moderator's own words, shown as they are (flattened, shortened).

    Raises:
        ValueError: an empty id, a time out of range, a duration that is not positive or is given
            for a decision that does not last, or an automatic decision without its rule.
    """
    if not statement_id:
        raise ValueError("a statement needs an id")
    if decided_at_ms < 0:
        raise ValueError(f"decided_at_ms must be >= 0, got {decided_at_ms}")
    if duration_ms is not None:
        if decision not in TIMED_DECISIONS:
            raise ValueError(f"a {decision.value} decision has no duration")
        if duration_ms <= 0:
            raise ValueError(f"duration_ms must be positive, got {duration_ms}")
    if decided_at_ms + max(APPEAL_WINDOW_MS, duration_ms or 0) > _LAST_DATE_MS:
        raise ValueError("decided_at_ms is too far in the future to be shown as a date")
    if is_automatic and not rule_id:
        raise ValueError("an automatic decision names the rule that took it")
    return Statement(
        id=statement_id,
        decision=Decision(decision),
        ground=Ground(ground),
        is_automatic=is_automatic,
        source=Source(source),
        decided_at_ms=decided_at_ms,
        duration_ms=duration_ms,
        appeal_deadline_ms=decided_at_ms + APPEAL_WINDOW_MS,
        excerpt=None if content is None else one_line(content, EXCERPT_MAX_CHARS),
        room=room,
        rule_id=rule_id,
        explanation=one_line(explanation, EXPLANATION_MAX_CHARS),
    )


def one_line(text: str, max_chars: int) -> str:
    """`text` on one line (control characters and runs of spaces become one space), cut to
    `max_chars` with an ellipsis, so that quoted content cannot pass for a line of the notice."""
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= max_chars else flat[: max_chars - 1].rstrip() + "…"


def render(statement: Statement, lang: str, *, tz: tzinfo = UTC) -> str:
    """The statement as plain text in `lang` ("fr" or "en"; anything else gives French).

    Args:
        tz: the zone dates are shown in, named after each date (UTC unless the caller passes,
            for instance, ``ZoneInfo("Europe/Paris")``).
    """
    t = _TEXTS["en" if lang == "en" else "fr"]
    when = _DateFormatter("en" if lang == "en" else "fr", tz)
    s = statement
    decision = t[f"decision.{s.decision.value}"]
    if s.room and s.decision in _ROOM_DECISIONS:
        decision += t["in_room"].format(room=s.room)
    lines = [
        t["title"].format(id=s.id),
        t["date"].format(date=when(s.decided_at_ms)),
        "",
        t["decision"].format(decision=decision),
    ]
    if s.decision in TIMED_DECISIONS:
        if s.duration_ms is None:
            lines.append(t["permanent"])
        else:
            end = s.decided_at_ms + s.duration_ms
            lines.append(t["duration"].format(duration=_duration(s.duration_ms, t), end=when(end)))
    lines.append(t["ground"].format(ground=t[f"ground.{s.ground.value}"]))
    if s.rule_id:
        lines.append(t["rule"].format(rule=s.rule_id))
    if s.explanation:
        lines.append(t["explanation"].format(text=s.explanation))
    if s.excerpt is not None:
        lines.append(t["content"].format(text=s.excerpt))
    if s.room and s.decision not in _ROOM_DECISIONS:
        lines.append(t["room"].format(room=s.room))
    lines.append(t["source"].format(source=t[f"source.{s.source.value}"]))
    lines.append(t["automatic"] if s.is_automatic else t["human"])
    lines += [
        "",
        t["appeal"].format(deadline=when(s.appeal_deadline_ms)),
        t["appeal_how"].format(id=s.id),
        t["appeal_review"],
        t["other_redress"],
    ]
    return "\n".join(lines)


_SPACES: Final = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")

_ROOM_DECISIONS: Final = frozenset({Decision.KICKED, Decision.BANNED_ROOM, Decision.ROOM_CLOSED})

_MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def format_date(at_ms: int, lang: str, *, tz: tzinfo = UTC) -> str:
    """A moment as people write it: "1er mars 2025 à 14 h 05 (UTC)", "1 March 2025, 14:05 UTC"."""
    return _DateFormatter("en" if lang == "en" else "fr", tz)(at_ms)


@dataclass(frozen=True, slots=True)
class _DateFormatter:
    lang: str
    tz: tzinfo

    def __call__(self, at_ms: int) -> str:
        # From the epoch by arithmetic: fromtimestamp() would reject far dates on some systems.
        moment = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=at_ms)).astimezone(
            self.tz
        )
        zone = moment.tzname() or "UTC"
        month = _MONTHS[self.lang][moment.month - 1]
        if self.lang == "en":
            return f"{moment.day} {month} {moment.year}, {moment:%H:%M} {zone}"
        day = "1er" if moment.day == 1 else str(moment.day)
        return f"{day} {month} {moment.year} à {moment.hour} h {moment:%M} ({zone})"


def _duration(duration_ms: int, t: Mapping[str, str]) -> str:
    """Every non-zero unit, largest first: "1 jour, 2 heures et 30 minutes"."""
    seconds = -(-duration_ms // 1000)  # round up: "30 s" rather than "0 s" for 29.5 s
    parts: list[str] = []
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {t[unit] if count == 1 else t[unit + 's']}")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + t["and"] + parts[-1]


_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "fr": {
        "title": "Exposé des motifs d'une décision de modération — réf. {id}",
        "date": "Date de la décision : {date}",
        "decision": "Décision : {decision}.",
        "in_room": " « {room} »",
        "decision.warning": "avertissement",
        "decision.message_removed": "ton message a été supprimé",
        "decision.message_blocked": "ton message a été bloqué et n'a pas été distribué",
        "decision.held": "ton message est retenu jusqu'à ce qu'un modérateur l'examine",
        "decision.muted": "tu es réduit au silence (tu ne peux plus écrire)",
        "decision.kicked": "tu as été exclu du salon",
        "decision.banned_room": "tu es banni du salon",
        "decision.room_closed": "ton salon a été fermé par l'équipe de modération",
        "decision.banned_site": "tu es banni du site",
        "decision.suspended": "ton accès au site est suspendu",
        "decision.moved_out_of_teen_space": "tu ne peux plus entrer dans l'espace ados depuis "
        "cet appareil ; si tu es majeur, les salons adultes te restent ouverts",
        "decision.report_dismissed": "ton signalement a été examiné et classé sans suite",
        "decision.report_actioned": "ton signalement a été examiné et a donné lieu à une mesure",
        "permanent": "Durée : définitive, sans date de fin.",
        "duration": "Durée : {duration}, jusqu'au {end}.",
        "day": "jour",
        "days": "jours",
        "hour": "heure",
        "hours": "heures",
        "minute": "minute",
        "minutes": "minutes",
        "second": "seconde",
        "seconds": "secondes",
        "and": " et ",
        "ground": "Motif : {ground}, contraire aux règles de la communauté.",
        "ground.child_safety": "mise en danger de mineurs",
        "ground.threat": "menace ou guet-apens",
        "ground.harassment": "harcèlement",
        "ground.hate": "haine ou discrimination",
        "ground.illegal_goods": "vente ou échange de produits illicites",
        "ground.sexual_content": "contenu sexuel",
        "ground.spam": "spam ou envois abusifs",
        "ground.contact_details_minor": "coordonnées personnelles échangées avec un mineur",
        "ground.meeting_minor": "proposition de rencontre impliquant un mineur",
        "ground.report_abuse": "usage abusif du signalement",
        "ground.repeated_violations": "infractions répétées aux règles",
        "ground.adult_in_teen_space": "adulte présumé dans l'espace ados (âge déclaré "
        "vraisemblablement inexact)",
        "ground.other": "autre infraction",
        "rule": "Règle appliquée : {rule}",
        "explanation": "Précisions : {text}",
        "content": "Contenu concerné : « {text} »",
        "room": "Salon : {room}",
        "source": "Origine : {source}.",
        "source.report": "un signalement",
        "source.automatic_detection": "une détection automatique",
        "source.moderator": "l'initiative d'un modérateur",
        "automatic": "Décidé par : un système automatique (décision automatisée).",
        "human": "Décidé par : un modérateur (décision humaine).",
        "appeal": "Tu peux contester cette décision jusqu'au {deadline}.",
        "appeal_how": "Pour cela, touche « Contester » sur cet avis dans l'application et explique "
        "pourquoi (référence de la décision : {id}).",
        "appeal_review": "Une personne de l'équipe de modération, autre que celle qui a décidé "
        "lorsque c'est possible, réexaminera la décision et te répondra.",
        "other_redress": "Tu peux aussi t'adresser à un organisme certifié de règlement "
        "extrajudiciaire des litiges (règlement européen sur les services numériques, art. 21) "
        "ou à la justice.",
    },
    "en": {
        "title": "Statement of reasons for a moderation decision — ref. {id}",
        "date": "Date of the decision: {date}",
        "decision": "Decision: {decision}.",
        "in_room": ' "{room}"',
        "decision.warning": "a warning",
        "decision.message_removed": "your message was removed",
        "decision.message_blocked": "your message was blocked and not delivered",
        "decision.held": "your message is held until a moderator reviews it",
        "decision.muted": "you are muted (you cannot write)",
        "decision.kicked": "you were removed from the room",
        "decision.banned_room": "you are banned from the room",
        "decision.room_closed": "your room was closed by the moderation team",
        "decision.banned_site": "you are banned from the site",
        "decision.suspended": "your access to the site is suspended",
        "decision.moved_out_of_teen_space": "you can no longer enter the teen space from this "
        "device; if you are an adult, the adult rooms stay open to you",
        "decision.report_dismissed": "your report was reviewed and dismissed",
        "decision.report_actioned": "your report was reviewed and action was taken",
        "permanent": "Duration: permanent, with no end date.",
        "duration": "Duration: {duration}, until {end}.",
        "day": "day",
        "days": "days",
        "hour": "hour",
        "hours": "hours",
        "minute": "minute",
        "minutes": "minutes",
        "second": "second",
        "seconds": "seconds",
        "and": " and ",
        "ground": "Ground: {ground}, against the community rules.",
        "ground.child_safety": "endangering minors",
        "ground.threat": "threat or ambush",
        "ground.harassment": "harassment",
        "ground.hate": "hate or discrimination",
        "ground.illegal_goods": "selling or trading illegal goods",
        "ground.sexual_content": "sexual content",
        "ground.spam": "spam or abusive sending",
        "ground.contact_details_minor": "personal contact details exchanged with a minor",
        "ground.meeting_minor": "meeting proposal involving a minor",
        "ground.report_abuse": "misuse of the report button",
        "ground.repeated_violations": "repeated violations of the rules",
        "ground.adult_in_teen_space": "presumed adult in the teen space (declared age likely "
        "untrue)",
        "ground.other": "another violation",
        "rule": "Rule applied: {rule}",
        "explanation": "Details: {text}",
        "content": 'Content concerned: "{text}"',
        "room": "Room: {room}",
        "source": "Origin: {source}.",
        "source.report": "a report",
        "source.automatic_detection": "automatic detection",
        "source.moderator": "a moderator's own initiative",
        "automatic": "Decided by: an automated system (automated decision).",
        "human": "Decided by: a moderator (human decision).",
        "appeal": "You can appeal this decision until {deadline}.",
        "appeal_how": "To do so, tap “Contester” (Appeal) on this notice in the app and say why "
        "(decision reference: {id}).",
        "appeal_review": "A member of the moderation team, other than the one who decided when "
        "possible, will review the decision and answer you.",
        "other_redress": "You may also turn to a certified out-of-court dispute settlement body "
        "(EU Digital Services Act, art. 21) or to the courts.",
    },
}
