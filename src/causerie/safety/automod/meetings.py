"""Meeting proposals and street addresses, in French and English.

A meeting proposal is either a meet-up phrase (`on se voit`, `viens chez moi`, `rdv devant la
gare`, `tu habites où`, `let's meet`, `come to my place`) or a time and a place in one sentence
that reads as a proposal: a question, or addressed to someone (`tu`, `on`, `viens`, `you`…).
`ce soir à la gare ?` is one; `je vais au ciné ce soir` is not, and a time alone (`à 18h`)
never is. School places count only with `devant`/`outside` and the like, since pupils talk
about school all day.

Addresses are street addresses (`12 rue de la Paix`, `3 bis avenue Foch`, `5 impasse des
Lilas 75011 Paris`, `221 Baker Street`): a number, a street type, a name of up to four words.
They are spans of kind `address` (masked in a request inbox); proposals are `meeting` spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.spans import Span, SpanKind, merge_ranges

# Meet-up phrases, each with the words one of which must be in the message for it to match
# (a cheap test that spares the regex on almost every message).
_PHRASES: list[tuple[frozenset[str], re.Pattern[str]]] = [
    (frozenset(words.split()), re.compile(pattern))
    for words, pattern in (
        # on se voit / se retrouver / on se capte / s'rejoindre
        (
            "voir voie voit verrait verra capter capte rejoindre rejoint retrouver retrouve"
            " rencontrer rencontre",
            r"\b(?:se|s'|nous)\s*(?:voir|voie|voit|verrait|verra|capter|capte|rejoindre|rejoint"
            r"|retrouver|retrouve|rencontrer|rencontre)\b",
        ),
        (
            "rejoins retrouve rejoignez retrouvez",
            r"\b(?:rejoins|retrouve|rejoignez|retrouvez)[\s-]*(?:moi|nous)\b",
        ),
        # rdv, rendez-vous, unless it is one's own appointment (j'ai rdv chez le dentiste)
        (
            "rdv rendez recard rencard rancard",
            r"(?<!ai\s)(?<!ai\sun\s)(?<!a\s)(?<!a\sun\s)\b(?:rdv|rendez[\s-]?vous|ren?card"
            r"|rancard)\s*(?:\?|a\b|au\b|aux\b|devant|derriere|chez|demain|ce\s+soir|ce\s+week"
            r"|sam|dim|\d)"
            r"|\b(?:donne|fixe|file|prend|prends)\s+(?:un\s+)?(?:rdv|rendez[\s-]?vous)\b",
        ),
        (
            "vien viens passe venir",
            r"\bviens?\s+(?:chez\s+moi|a\s+la\s+maison|me\s+(?:voir|rejoindre|chercher)|dormir)\b"
            r"|\bpasse\s+(?:chez\s+moi|me\s+voir)\b"
            r"|\bje\s+(?:viens|passe|peux\s+venir|pourrais\s+venir|vais\s+venir)\s+"
            r"(?:te\s+(?:chercher|prendre|voir|rejoindre)|chez\s+toi)\b",
        ),
        ("chez", r"\bchez\s+(?:toi|moi)\s+ou\s+chez\s+(?:toi|moi)\b"),
        (
            "attend attends",
            r"\bje\s+t'attends?\s+(?:a|au|aux|devant|chez|en\s+bas|demain|ce\s+soir)\b",
        ),
        (
            "habite habites vis",
            r"\b(?:tu|t')\s*(?:habites?|vis)\s+(?:ou|dans\s+quel(?:le)?|quel(?:le)?\s+ville)\b",
        ),
        (
            "adresse adrs adr address",
            r"\b(?:ton|ta|votre)\s+(?:adresse|adrs|adr)\b(?!\s*(?:mail|e-?mail|ip)\b)"
            r"|\b(?:your|ur)\s+(?:home\s+)?address\b(?!\s*(?:mail|e-?mail|ip)\b)",
        ),
        (
            "verre cafe coup pot cine cinema resto mcdo balade tour film",
            r"\b(?:tu\s+veux|on\s+(?:va|peut|pourrait)|ca\s+te\s+dit\s+(?:de|d')|viens)\s+"
            r"(?:boire|prendre|aller|manger|faire|voir)\s+(?:un|une|au|le|la)\s+"
            r"(?:verre|cafe|coup|pot|cine|cinema|resto|mcdo|balade|tour|film)\b",
        ),
        (
            "irl person",
            r"\b(?:voir|rencontrer|meet|see)[a-z]*\s+(?:[a-z]+\s+)?(?:en\s+)?(?:irl|in\s+person)\b",
        ),
        # English
        (
            "meet meetup hang",
            r"\bmeet\s+(?:me|up|you|u|tonight|tomorrow)\b|\blet'?s\s+meet\b|\bmeet-?up\b"
            r"|\b(?:wanna|want\s+to|we\s+(?:should|could|can))\s+(?:meet|hang\s+out)\b"
            r"|\bhang\s+out\s+(?:irl|tonight|tomorrow|sometime|with\s+me)\b",
        ),
        (
            "come pick live",
            r"\bcome\s+(?:over|to\s+(?:my|mine)|see\s+me|pick\s+me)\b|\bpick\s+(?:you|u)\s+up\b"
            r"|\bwhere\s+(?:do\s+)?(?:you|u)\s+live\b",
        ),
    )
]
_PLACE_WORDS = frozenset(
    (
        "gare station metro arret parc park jardin square cine cinema mcdo mc kfc cafe bar mall"
        " centre plage beach piscine pool stade skate skatepark bibli bibliotheque library place"
        " pont bridge rer tram bus hotel appart lycee college ecole school fac bahut gymnase"
        " mairie eglise chez your"
    ).split()
)
_TIME_WORDS = frozenset(
    (
        "demain soir nuit aprem apres matin heure lundi mardi mercredi jeudi vendredi samedi"
        " dimanche week weekend tonight tomorrow evening afternoon school"
    ).split()
)

_TIME = (
    r"(?:demain|apres[\s-]demain|ce\s+soir|cette\s+nuit|cet\s+aprem|cet\s+apres[\s-]midi"
    r"|ce\s+matin|tout\s+a\s+l'heure|apres\s+les\s+cours|lundi|mardi|mercredi|jeudi|vendredi"
    r"|samedi|dimanche|ce\s+week[\s-]?end|tonight|tomorrow|this\s+(?:evening|afternoon|weekend)"
    r"|after\s+school|\d{1,2}\s*h(?:eures?)?\s*\d{0,2}|\d{1,2}(?::\d{2})?\s*(?:am|pm))\b"
)
_ARTICLE = (
    r"(?:la\s+|le\s+|l'|les\s+|du\s+|de\s+la\s+|des\s+|the\s+|my\s+|your\s+|mon\s+|ton\s+"
    r"|ma\s+|ta\s+)?"
)
_PLACES = (
    r"gare|station|metro|arret|parc|park|jardin|square|cine|cinema|mcdo|mc\s?donald'?s?|kfc"
    r"|cafe|bar|mall|centre\s+commercial|centre[\s-]ville|plage|beach|piscine|pool|stade"
    r"|skate\s?park|bibli|bibliotheque|library|place|pont|bridge|rer|tram|bus|hotel|appart"
)
_SCHOOLS = r"lycee|college|ecole|school|fac|bahut|gymnase|mairie|eglise"
_PLACE = (
    rf"(?:(?:a|au|aux|devant|derriere|pres\s+d[eu]|a\s+cote\s+d[eu]|en\s+face\s+d[eu]|at|near"
    rf"|outside|behind|in\s+front\s+of)\s+{_ARTICLE}(?:{_PLACES})"
    rf"|(?:devant|derriere|a\s+la\s+sortie\s+d[eu]|pres\s+d[eu]|en\s+face\s+d[eu]|outside"
    rf"|behind|in\s+front\s+of)\s+{_ARTICLE}(?:{_SCHOOLS})|chez\s+toi|at\s+your\s+place)\b"
)
_TIME_RE = re.compile(rf"\b{_TIME}")
_PLACE_RE = re.compile(rf"\b{_PLACE}")
_MAX_TIME_PLACE_GAP = 40
_ADDRESSED = re.compile(
    r"\?|\b(?:on|tu|t'|toi|te|vous|viens|venez|rejoins|rejoignez|you|u|we|let'?s|come|join)\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_DIGIT = re.compile(r"[0-9]")

_STREET_TYPES = (
    r"rue|ruelle|avenue|av|bd|boulevard|blvd|place|pl|chemin|impasse|imp|allee|route|rte|quai"
    r"|square|passage|residence|cite|lotissement|hameau|sentier|rond[\s-]point|faubourg|fbg"
    r"|parvis|promenade|esplanade|villa"
)
_STREET_WORDS = frozenset(
    re.sub(r"\[\\s-\]", " ", _STREET_TYPES).replace("|", " ").split()
    + "street st road rd ave lane ln blvd crescent terrace".split()
)
_STOP = (
    r"(?:et|a|au|aux|on|je|j'|tu|il|elle|pour|demain|ce|ca|ou|vers|avec|apres|avant|and|at|to"
    r"|tonight|tomorrow|stp|svp|qui|que|pres|devant|si|mais|donc|ici|chez|dans|en|sur|pas"
    r"|c'est|viens|rejoins|the|in|near)\b"
)
_NAME_WORD = r"[a-z][a-z'-]*"
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}\s*(?:bis|ter|quater|[abc])?,?\s+(?:{_STREET_TYPES})\b\.?\s+"
    r"(?:(?:de\s+la|de\s+l'|du|des|de|d'|la|le|les|l')\s*)?"
    rf"{_NAME_WORD}(?:[ \t]+(?!{_STOP}){_NAME_WORD}){{0,3}}"
    r"(?:,?[ \t]+\d{5}(?:[ \t]+[a-z][a-z-]*)?)?"
    r"|\b\d{1,5}\s+(?:[a-z][a-z'-]*\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|boulevard"
    r"|blvd|crescent|terrace)\b"
)

_ANY_TRIGGER = frozenset().union(*(triggers for triggers, _ in _PHRASES))


def detect_meetings(view: TextView) -> tuple[Span, ...]:
    """Meet-up phrases and proposals of a time and a place (`meeting` spans)."""
    folded = view.folded
    ranges = (
        [
            match.span()
            for triggers, pattern in _PHRASES
            if view.has_any(triggers)
            for match in pattern.finditer(folded)
        ]
        if view.has_any(_ANY_TRIGGER)
        else []
    )
    if view.has_any(_PLACE_WORDS) and (view.has_any(_TIME_WORDS) or _DIGIT.search(folded)):
        ranges.extend(_times_and_places(folded))
    if not ranges:
        return ()
    spans = [view.span(start, end, SpanKind.MEETING) for start, end in ranges]
    return tuple(Span(start, end, SpanKind.MEETING) for start, end in merge_ranges(spans))


def _times_and_places(folded: str) -> list[tuple[int, int]]:
    """A time and a place close together in one sentence that is a proposal."""
    times = [m.span() for m in _TIME_RE.finditer(folded)]
    if not times:
        return []
    time_starts = [start for start, _ in times]
    found: list[tuple[int, int]] = []
    for place in _PLACE_RE.finditer(folded):
        # Times starting within reach of the place: from 40 characters (plus the longest
        # time expression) before it to 40 characters after it.
        low = bisect_left(time_starts, place.start() - _MAX_TIME_PLACE_GAP - 40)
        high = bisect_right(time_starts, place.end() + _MAX_TIME_PLACE_GAP)
        for time in times[low:high]:
            first, second = sorted((time, place.span()))
            start, end = first[0], max(first[1], second[1])
            gap_start, gap_end = first[1], max(first[1], second[0])
            if gap_end - gap_start > _MAX_TIME_PLACE_GAP:
                continue
            if _SENTENCE_END.search(folded, gap_start, gap_end) is None and _is_addressed(
                folded, start, end
            ):
                found.append((start, end))
                break
    return found


def _is_addressed(folded: str, start: int, end: int) -> bool:
    """Whether the sentence around `[start, end)` is a question or speaks to someone."""
    sentence_start = max(folded.rfind(mark, 0, start) for mark in ".!?\n") + 1
    after = _SENTENCE_END.search(folded, end)
    sentence_end = after.end() if after else len(folded)
    return _ADDRESSED.search(folded, sentence_start, sentence_end) is not None


def detect_addresses(view: TextView) -> tuple[Span, ...]:
    """Street addresses (`address` spans)."""
    folded = view.folded
    if not view.has_any(_STREET_WORDS) or not _DIGIT.search(folded):
        return ()
    return tuple(view.span(*m.span(), SpanKind.ADDRESS) for m in _ADDRESS.finditer(folded))
