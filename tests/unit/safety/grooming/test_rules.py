"""Phrase templates and the grooming rules file: what an operator writes and what it matches."""

from __future__ import annotations

import pytest

from causerie.safety.automod.rules import RulesError
from causerie.safety.grooming.canon import canonical
from causerie.safety.grooming.phrases import PhraseError, compile_templates
from causerie.safety.grooming.rules import (
    default_grooming_text,
    load_default_grooming_rules,
    load_grooming_rules,
)


def _matches(
    templates: list[str], text: str, lists: dict[str, tuple[str, ...]] | None = None
) -> bool:
    return compile_templates(templates, lists).search(f" {canonical(text)} ") is not None


@pytest.mark.parametrize(
    ("template", "text", "expected"),
    [
        ("notre secret", "c'est NOTRE seeecret", True),
        ("notre secret", "notre secrétaire", False),
        ("(dis|raconte) rien", "raconte rien", True),
        ("(ne)? dis rien", "ne dis rien", True),
        ("(ne)? dis rien", "dis rien", True),
        ("efface*", "effacez", True),
        ("efface*", "préface", False),
        ("photo ~ maillot", "photo de toi en maillot", True),
        ("photo ~ maillot", "photo de toi et de ton chat en maillot", False),
        ("photo ~~ maillot", "photo de toi et ton chat en maillot", True),
        ("j'ai # ans", "j'ai 15 ans", True),
        ("j'ai # ans", "j'ai quinze ans", False),
        ("tu es seule", "t'es seule", True),
        ("t'es seule", "tu es seule", True),
    ],
)
def test_template_matches_canonical_text(template: str, text: str, expected: bool) -> None:
    assert _matches([template], text) is expected


def test_template_list_entries_are_templates() -> None:
    lists = {"parents": ("tes parents", "ta (mere|maman)")}
    assert _matches(["dis rien a {parents}"], "dis rien à ta maman", lists)
    assert not _matches(["dis rien a {parents}"], "dis rien à ta prof", lists)


@pytest.mark.parametrize(
    "template", ["", "(a|b", "a)", "{missing}", "(|a)", "?", "a * b", "pas*de fin*"]
)
def test_template_malformed_raises_phrase_error(template: str) -> None:
    with pytest.raises(PhraseError):
        compile_templates([template], {})


def test_template_list_referring_to_itself_raises() -> None:
    with pytest.raises(PhraseError, match="itself"):
        compile_templates(["{a}"], {"a": ("x {a}",)})


def test_default_rules_load_and_cover_every_stage() -> None:
    rules = load_default_grooming_rules()
    assert {stage.id for stage in rules.stages} == {
        "flattery",
        "isolation",
        "secrecy",
        "deletion",
        "gifts",
        "other_app",
        "pictures",
        "sexual",
        "meeting",
    }
    held = {stage.id for stage in rules.stages if stage.is_held}
    assert held == {"secrecy", "deletion", "gifts", "other_app", "pictures"}


_MINIMAL = """
version = 1
[stages.secrecy]
weight = 4
hold = true
phrases = ["notre secret", { phrase = "entre nous", weight = 1, hold = false }]
"""


def test_rules_phrase_may_weigh_less_and_not_be_held() -> None:
    rules = load_grooming_rules(_MINIMAL)
    assert rules.weigh("c'est notre secret") == {"secrecy": (4.0, True)}
    assert rules.weigh("entre nous le prof est nul") == {"secrecy": (1.0, False)}
    assert rules.weigh("bonjour") == {}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("version = 2\n[stages.a]\nphrases=['x']", "version"),
        ("[stages.a]\nphrases = []", "phrases"),
        ("[stages.a]\nphrases = ['x']\nweight = -1", "weight"),
        ("[stages.a]\nphrases = ['x']\nweight = true", "weight"),
        ("[stages.a]\nphrases = ['x']\nhold = 'yes'", "hold"),
        ("[stages.a]\nphrases = ['(x']", "phrases"),
        ("[stages.a]\nphrases = [{ phrase = 'x', weight = 500 }]", "phrases"),
        ("[stages.a]\nphrases = [{ text = 'x' }]", "phrases"),
        ("[stages.a]\nphrases = ['x']\ncolour = 'red'", None),
        ("[scoring]\nthreshold = 0\n[stages.a]\nphrases = ['x']", "scoring.threshold"),
        ("[scoring]\nstage_bonus = [1, 'a']\n[stages.a]\nphrases = ['x']", "scoring.stage_bonus"),
        ("[stages]", "stages"),
        ("not toml [", None),
    ],
)
def test_rules_mistake_names_the_field(text: str, field: str | None) -> None:
    with pytest.raises(RulesError) as raised:
        load_grooming_rules(text)
    assert raised.value.field == field


def test_rules_disabled_stage_is_left_out() -> None:
    rules = load_grooming_rules(_MINIMAL + "enabled = false\n")
    assert rules.stages == ()


def test_default_rules_text_documents_the_format() -> None:
    text = default_grooming_text()
    for word in ("threshold", "half_life_h", "weight", "hold", "phrases", "{NAME}"):
        assert word in text
