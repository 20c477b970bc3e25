"""E-mail addresses, handles on other apps and links, plain or written to dodge a filter.

All patterns run on the folded text (see `folding`): lower case, no accents, plain quotes.
Each search starts from an anchor that is cheap to find (`@`, `at`, `arobase`, `.com`,
`point`, an app's name) and looks around it, so a message without one costs next to nothing.

Handles are the subtle part: `@name` is how people address each other in a room, and `snap`
is an English word, so a handle needs an app named *and* a sign of exchange: a possessive
(`mon snap`, `your insta`), a marker (`snap: jean_75`, `insta @jean`), an invitation
(`ajoute-moi sur snap`, `add me on discord`) or a question (`t'as insta ?`). An invitation
without a handle is reported as `off_platform`: worth a rule, nothing to mask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.spans import Span, SpanKind, merge_ranges

# Top-level domains accepted after a plain dot; short ones that are also words or typing
# habits (`ok.de rien`, `bon.ca va`, `j'ai.eu`) only count after `www.`/`http` or spelled out.
_TLDS = (
    "com|net|org|info|biz|fr|be|ch|lu|uk|ru|io|co|xyz|app|dev|gg|ly|tv|cc|link|site|online"
    "|shop|club|live|onion|ai|tk|ml|ga|cf|gq|ovh|bzh|sh|vip|icu|pw|ws|fm|im|pro|mobi|cn|jp|br"
    "|nl|pl|pt|se|nu|cz|sk|gr|ro|hu|dk|fi|ie|tn|dz|sn|ci|cm|store|space|website|click|top"
)
_SPELLED_TLDS = _TLDS + "|ca|de|eu|re|me|es|it|ma|us"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")
_SPELLED_DOT = r"(?:\s*[(\[{<]\s*(?:dot|point|\.)\s*[)\]}>]\s*|\s+(?:dot|point)\s+)"
_ANY_DOT = rf"(?:\s*\.\s*|{_SPELLED_DOT})"
_URL_TAIL = r"[^\s<>\"'`]*"
_TRAILING = ".,;:!?)]}'\""

_PLAIN_DOMAIN = re.compile(rf"@{_LABEL}(?:\.{_LABEL})*\.[a-z]{{2,24}}\b")
_SPELLED_DOMAIN = re.compile(
    rf"{_LABEL}(?:{_ANY_DOT}{_LABEL}){{0,2}}{_ANY_DOT}(?:{_SPELLED_TLDS})\b"
)
_AT_WORDS = frozenset({"at", "arobase", "arrobase"})
_BRACKETED_AT = ("(a)", "[a]", "{a}", "<a>", "@")
_SEPARATOR_CHARS = frozenset(" \t\n([{<)]}>")

_SCHEME = re.compile(rf"(?:https?|ftp)://{_URL_TAIL}")
_WWW = re.compile(rf"www\d?\.{_URL_TAIL}")
_SHORT_LINK = re.compile(rf"(?:t|wa)\.me/{_URL_TAIL}")
_DOT_TLD = re.compile(rf"\.(?:{_TLDS})\b(?:[/?#]{_URL_TAIL})?")
_SPELLED_TLD = re.compile(rf"\s*[)\]}}>]?\s*(?:{_SPELLED_TLDS})\b")
_DOT_WORDS = frozenset({"point", "dot"})
# Words before `point`/`dot` that make it the ordinary word: determiners and prepositions.
_NOT_LABELS = frozenset(
    "le la les l un une des du de d ce cet cette ces mon ton son ma ta sa mes tes ses notre"
    " votre nos vos leur leurs au aux en a quel quelle chaque meme dernier premier bon seul"
    " the an this that my your his her our their one same each every on at to of".split()
)
_DISGUISED_TAIL = re.compile(rf"[a-z][a-z0-9-]{{1,62}}\b(?:\.{_LABEL})*(?:[/?#]{_URL_TAIL})?")
_BRACKETED_DOTS = ("(.)", "[.]", "{.}", "<.>")

# Apps. The short or ambiguous names count only with a possessive or an explicit marker.
_APP_NAMES = (
    "snap snapchat insta instagram telegram whatsapp whatsap whatapp whatap watsapp watsap"
    " watapp watap discord tiktok kik signal skype facebook messenger twitter threema viber"
    " wechat twitch onlyfans mym yubo wizz hoop tellonym omegle bereal roblox psn xbox steam"
    " gmail hotmail outlook yahoo icloud"
).split()
_SHORT_APP_NAMES = ["sc", "ig", "tg", "wa", "fb", "dc", "tt"]
_APPS = "|".join([*_APP_NAMES, r"tik\s+tok"])
_ANY_APP = rf"(?:{_APPS}|{'|'.join(_SHORT_APP_NAMES)})"
_APP_WORDS = frozenset([*_APP_NAMES, "tik"])
APP_NAMES = frozenset(_APP_NAMES)  # for the normalised view: `sn@p`, `1nsta` read as apps
_SHORT_APP_WORDS = frozenset(_SHORT_APP_NAMES)
_BARE_HANDLE = r"[a-z0-9_][a-z0-9_.-]{0,30}[a-z0-9_]"
_HANDLE = rf"@?{_BARE_HANDLE}"
# A handle without `@` must hold a digit, `_` or `.`: `snap jean_75`, not `snap cool`.
_HANDLE_LIKE = r"(?=[a-z0-9_.-]*[0-9_.])[a-z0-9_][a-z0-9_.-]{0,30}[a-z0-9_]"
_MARKER = r"(?:c'est|cest|c|est|is|=+>?|:|-+>|→|⇒|➡|➜|>)"
_HANDLES = [
    re.compile(p)
    for p in (
        # mon snap c'est jean_75 / your insta / ton discord : x
        rf"\b(?:mon|ma|my|ton|ta|your|ur|son|sa|his|her|votre|vos|tes|mes)\s+"
        rf"(?:compte\s+|account\s+|pseudo\s+|id\s+)?{_ANY_APP}\b"
        rf"(?:\s*{_MARKER}\s*(?P<handle>{_HANDLE})|\s+(?P<tagged>@{_BARE_HANDLE}|{_HANDLE_LIKE}))?",
        # snap: jean_75 / insta @jean / snap jean_75
        rf"\b{_ANY_APP}\s*(?:[:=]|=+>|-+>|→|⇒|➡|➜)\s*(?P<handle>{_HANDLE})",
        rf"\b{_ANY_APP}\s+(?:c'est|cest)\s+(?P<handle>@{_BARE_HANDLE}|{_HANDLE_LIKE})",
        rf"\b{_ANY_APP}\s+(?P<handle>@{_BARE_HANDLE})",
        rf"\b(?:{_APPS})\s+(?P<handle>{_HANDLE_LIKE})",
        # ajoute-moi sur snap / add me on insta / on passe sur telegram
        r"\b(?:(?:ajout|rajout|add|follow|suiv|ecri|contact|parl|pass|vien|ven|rejoin|join"
        r"|retrouv|envoi|messag|text|appel|call)[a-z]*|suis|dm|go|hmu)"
        r"(?:[\s'-]+(?:moi|me|nous|toi|te|us|la|le|les|y))?(?:\s+(?:direct|plutot|vite|ici))?"
        rf"\s+(?:sur|on|via|par|en)\s+(?:mon\s+|my\s+|le\s+|the\s+)?{_ANY_APP}\b",
        # t'as insta ? / do you have snap / t'es sur discord ?
        r"\b(?:t'as|tas|t\s+as|tu\s+as|tu\s+a|vous\s+avez|t'aurais|tu\s+aurais|as[\s-]tu"
        r"|avez[\s-]vous|do\s+(?:you|u)\s+have|(?:you|u)\s+have|(?:you|u)\s+got|have\s+(?:you|u)"
        r"\s+got|t'es\s+sur|tu\s+es\s+sur|t'es\s+pas\s+sur|are\s+(?:you|u)\s+on|r\s+u\s+on)"
        rf"\s+(?:un\s+|une\s+|a\s+|an\s+)?(?:compte\s+|account\s+)?(?:{_APPS})\b",
    )
]
_DISCORD_TAG = re.compile(r"#[0-9]{4}\b")
_DISCORD_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.")
_MENTION = re.compile(r"(?<![\w.+@-])@[a-z0-9_][a-z0-9_.]{0,30}[a-z0-9_]")


def _walk_left(folded: str, end: int, chars: frozenset[str], limit: int = 64) -> int:
    """The start of the run of `chars` ending at `end`."""
    start = end
    while start > 0 and end - start < limit and folded[start - 1] in chars:
        start -= 1
    return start


def _local_part_start(folded: str, end: int) -> int | None:
    """Start of an e-mail local part ending at `end`, or None when there is none."""
    start = _walk_left(folded, end, _LOCAL_CHARS)
    while start < end and not folded[start].isalnum():
        start += 1
    return start if start < end else None


def _at_signs(view: TextView) -> Iterator[tuple[int, int]]:
    """Folded ranges of `@`-like separators: `@`, `at`, `arobase`, `(a)`…"""
    folded = view.folded
    for word in view.words & _AT_WORDS:
        for start in view.find_word(word):
            yield start, start + len(word)
    for sign in _BRACKETED_AT:
        start = folded.find(sign)
        while start >= 0:
            yield start, start + len(sign)
            start = folded.find(sign, start + 1)


def _email_ranges(view: TextView) -> list[tuple[int, int]]:
    cached = view.memo.get("email")
    if isinstance(cached, list):
        return cached
    folded = view.folded
    ranges: list[tuple[int, int]] = []
    if "@" in folded:
        for match in _PLAIN_DOMAIN.finditer(folded):
            local = _local_part_start(folded, match.start())
            if local is not None:
                ranges.append((local, match.end()))
    for sign_start, sign_end in _at_signs(view):
        before = sign_start
        while before > 0 and sign_start - before < 3 and folded[before - 1] in _SEPARATOR_CHARS:
            before -= 1
        after = sign_end
        while after < len(folded) and after - sign_end < 3 and folded[after] in _SEPARATOR_CHARS:
            after += 1
        local = _local_part_start(folded, before)
        domain = _SPELLED_DOMAIN.match(folded, after)
        if local is not None and domain is not None:
            ranges.append((local, domain.end()))
    merged = merge_ranges(Span(s, e, SpanKind.EMAIL) for s, e in ranges) if ranges else []
    view.memo["email"] = merged
    return merged


def detect_emails(view: TextView) -> tuple[Span, ...]:
    return tuple(view.span(s, e, SpanKind.EMAIL) for s, e in _email_ranges(view))


def _link_ranges(view: TextView) -> list[tuple[int, int]]:
    cached = view.memo.get("link")
    if isinstance(cached, list):
        return cached
    folded = view.folded
    ranges: list[tuple[int, int]] = []
    for anchor, pattern in (("://", _SCHEME), ("www", _WWW), (".me/", _SHORT_LINK)):
        if anchor in folded:
            ranges.extend(
                m.span()
                for m in pattern.finditer(folded)
                if m.start() == 0 or not folded[m.start() - 1].isalnum()
            )
    if "." in folded:
        for match in _DOT_TLD.finditer(folded):
            start = _walk_left(folded, match.start(), _DOMAIN_CHARS, limit=253)
            if start < match.start() and (start == 0 or folded[start - 1] not in "@_"):
                if folded[start].isalnum():
                    ranges.append((start, match.end()))
    if view.has_any(_DOT_WORDS) or any(dot in folded for dot in _BRACKETED_DOTS):
        ranges.extend(_spelled_links(view))
    if view.disguised_dots:
        ranges.extend(_disguised_links(view))
    if not ranges:  # most messages: no need to look for the e-mails a link must not be
        view.memo["link"] = ranges
        return ranges
    emails = _email_ranges(view)
    kept: list[tuple[int, int]] = []
    for start, end in ranges:
        while end > start and folded[end - 1] in _TRAILING:
            end -= 1
        if end > start and not any(s < end and start < e for s, e in emails):
            kept.append((start, end))
    merged = merge_ranges(Span(s, e, SpanKind.LINK) for s, e in kept)
    view.memo["link"] = merged
    return merged


def _spelled_links(view: TextView) -> Iterator[tuple[int, int]]:
    """`monsite point com`, `site(dot)fr`, `site [.] com`."""
    folded = view.folded
    cores = [(s, s + len(w)) for w in view.words & _DOT_WORDS for s in view.find_word(w)]
    for dot in _BRACKETED_DOTS:
        cores.extend((s + 1, s + 2) for s in _find_all(folded, dot))
    for core_start, core_end in cores:
        before = core_start
        while before > 0 and core_start - before < 3 and folded[before - 1] in _SEPARATOR_CHARS:
            before -= 1
        if before == core_start and folded[core_start] != ".":
            continue  # `monsitepoint com` is no link
        start = _walk_left(folded, before, _DOMAIN_CHARS - {"."})
        tld = _SPELLED_TLD.match(folded, core_end)
        if start < before and tld is not None and folded[start].isalnum():
            if folded[start:before].strip() in _NOT_LABELS and folded[core_start] != ".":
                continue  # `un point de vue`, `le point info`: a word, not a domain
            if start == 0 or folded[start - 1] not in "@_.":
                yield start, tld.end()


def _disguised_links(view: TextView) -> Iterator[tuple[int, int]]:
    """`evil[.]example`, `evil(dot)example` (a normalised view's disguised dots, see
    `normalising`): a dot written so is there to hide a domain, whatever its ending."""
    folded = view.folded
    for dot in sorted(view.disguised_dots):
        start = _walk_left(folded, dot, _DOMAIN_CHARS, limit=253)
        ending = _DISGUISED_TAIL.match(folded, dot + 1)
        if start < dot and ending is not None and folded[start].isalnum():
            if start == 0 or folded[start - 1] not in "@_":
                yield start, ending.end()


def _find_all(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start >= 0:
        yield start
        start = text.find(needle, start + 1)


def detect_links(view: TextView) -> tuple[Span, ...]:
    """Links with or without scheme; e-mail addresses are not links."""
    return tuple(view.span(s, e, SpanKind.LINK) for s, e in _link_ranges(view))


def count_links(view: TextView) -> int:
    return len(_link_ranges(view))


def detect_handles(view: TextView) -> tuple[Span, ...]:
    """Handles on other apps (`handle` spans) and invitations to move there (`off_platform`)."""
    folded = view.folded
    handles: list[Span] = []
    invitations: list[Span] = []
    if "#" in folded:
        for match in _DISCORD_TAG.finditer(folded):
            start = _walk_left(folded, match.start(), _DISCORD_NAME_CHARS, limit=32)
            if match.start() - start >= 2:
                handles.append(view.span(start, match.end(), SpanKind.HANDLE))
    has_app = view.has_any(_APP_WORDS)
    if has_app or view.has_any(_SHORT_APP_WORDS):
        for pattern in _HANDLES:
            for match in pattern.finditer(folded):
                group = next((g for g in ("handle", "tagged") if _group(match, g)), None)
                if group is not None:
                    handles.append(view.span(*match.span(group), SpanKind.HANDLE))
                else:
                    invitations.append(view.span(*match.span(), SpanKind.OFF_PLATFORM))
    if has_app and "@" in folded:
        handles.extend(view.span(*m.span(), SpanKind.HANDLE) for m in _MENTION.finditer(folded))
    return (*_merged(handles, SpanKind.HANDLE), *_merged(invitations, SpanKind.OFF_PLATFORM))


def _group(match: re.Match[str], name: str) -> bool:
    return name in match.re.groupindex and match.group(name) is not None


def _merged(spans: Iterable[Span], kind: SpanKind) -> list[Span]:
    return [Span(start, end, kind) for start, end in merge_ranges(spans)]
