"""Phrase templates: how an operator writes what the grooming detector looks for.

A template is plain words in the order they are typed, with a few marks:

- `a b`: the words `a` then `b` (`notre secret`);
- `(a|b c)`: one of the alternatives (`(dis|raconte) rien`);
- `(a b)?`: optional (`(ne)? dis rien`);
- `word*`: any word starting with `word` (`efface*`);
- `{name}`: any entry of the list `name`, entries being templates (`dis rien a {parents}`);
- `~`, `~~`, `~~~`: up to 3, 6 or 10 other words (`photo ~ maillot`);
- `#`: any number (`j'ai # ans`).

Every word is put in the canonical form (`canon.py`) when the template is compiled, so
`t'es` in a template is the canonical `tes` and matches `tes`, `t es`, `tu es` and `T'ES`; the
template author writes ordinary spelling. Templates compile to one regular expression over the
canonical text, which is its words each followed by one space (`" a b c "`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from causerie.safety.grooming.canon import words_of

_TOKEN = re.compile(r"\s*(\(|\)\?|\)|\||\{[a-z0-9_]+\}|~{1,3}|[^\s()|{}~?]+)")
_GAPS = {"~": 3, "~~": 6, "~~~": 10}


class PhraseError(ValueError):
    """A template that cannot be compiled; the message says where."""


class _Parser:
    def __init__(self, template: str, lists: Callable[[str], str]) -> None:
        self.template = template
        self.lists = lists
        self.tokens = self._tokens(template)
        self.position = 0

    def _tokens(self, template: str) -> list[str]:
        tokens: list[str] = []
        position = 0
        template = template.strip()
        while position < len(template):
            match = _TOKEN.match(template, position)
            if match is None or match.end() == position:
                raise PhraseError(f"{template!r}: unexpected {template[position:]!r}")
            tokens.append(match.group(1))
            position = match.end()
        return tokens

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def parse(self) -> str:
        source = self._alternatives()
        if self._peek() is not None:
            raise PhraseError(f"{self.template!r}: unexpected {self._peek()!r}")
        if not source:
            raise PhraseError(f"{self.template!r}: no word to look for")
        return source

    def _alternatives(self) -> str:
        options = [self._sequence()]
        while self._peek() == "|":
            self.position += 1
            options.append(self._sequence())
        if any(not option for option in options):
            raise PhraseError(f"{self.template!r}: an empty alternative")
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    def _sequence(self) -> str:
        parts: list[str] = []
        words: list[str] = []  # literal words in a row, put in canonical form together
        while (token := self._peek()) is not None and token not in ("|", ")", ")?"):
            self.position += 1
            if token not in _GAPS and token != "#" and not token.startswith(("(", "{")):
                words.append(token)
                if token.endswith("*"):
                    parts.append(self._words(words))
                    words = []
                continue
            if words:
                parts.append(self._words(words))
                words = []
            if token == "(":
                inner = self._alternatives()
                close = self._peek()
                if close not in (")", ")?"):
                    raise PhraseError(f"{self.template!r}: a '(' is not closed")
                self.position += 1
                parts.append(f"(?:{inner})?" if close == ")?" else f"(?:{inner})")
            elif token in _GAPS:
                parts.append(rf"(?:\S+ ){{0,{_GAPS[token]}}}")
            elif token == "#":
                parts.append(r"\d+ ")
            else:
                parts.append(self.lists(token[1:-1]))
        if words:
            parts.append(self._words(words))
        return "".join(parts)

    def _words(self, tokens: list[str]) -> str:
        """Literal words (the last may end with `*`), canonical, each followed by a space."""
        is_prefix = tokens[-1].endswith("*")
        words = words_of(" ".join(tokens).rstrip("*"))
        if (
            not words
            or any("*" in token for token in tokens[:-1])
            or any(not token.rstrip("*") for token in tokens)
        ):
            raise PhraseError(f"{self.template!r}: {' '.join(tokens)!r} is not a phrase")
        escaped = [re.escape(word) for word in words]
        if is_prefix:
            escaped[-1] += r"\S*"
        return "".join(f"{word} " for word in escaped)


def compile_template(template: str, lists: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The regex source of one template (see the module docstring).

    Raises:
        PhraseError: the template is malformed or names an unknown list.
    """
    known = lists or {}
    resolving: list[str] = []

    def list_source(name: str) -> str:
        if name not in known:
            raise PhraseError(f"{template!r}: no list named {name!r}")
        if name in resolving:
            raise PhraseError(f"list {name!r} refers to itself")
        resolving.append(name)
        try:
            entries = [_Parser(entry, list_source).parse() for entry in known[name]]
        finally:
            resolving.pop()
        if not entries:
            raise PhraseError(f"list {name!r} is empty")
        return "(?:" + "|".join(entries) + ")"

    return _Parser(template, list_source).parse()


def compile_templates(
    templates: list[str], lists: Mapping[str, tuple[str, ...]] | None = None
) -> re.Pattern[str]:
    """One pattern matching any of `templates`, to search in `" " + canonical + " "`."""
    sources = [compile_template(template, lists) for template in templates]
    return re.compile("(?<= )(?:" + "|".join(sources) + ")")
