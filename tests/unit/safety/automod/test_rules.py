"""The rules file: what it accepts, what it refuses and how the refusal names the mistake."""

from __future__ import annotations

import pytest

from causerie.errors import ConfigError
from causerie.safety.automod import (
    Action,
    AppliesTo,
    Audience,
    Channel,
    Context,
    DetectorName,
    RulesError,
    load_rules,
)

EXAMPLE = """
version = 1

[lists.insults]
words = ["connard", "encul*"]

[[rules]]
id = "phone-minor"
detector = "phone"
audience = "involves_minor"
action = "hold"
severity = 4

[[rules]]
id = "shouting"
detector = "caps"
params = { min_letters = 8 }
applies_to = "rooms"
action = "warn"
message_key = "automod_spam_caps"

[[rules]]
id = "paypal"
detector = "pattern"
pattern = '\\bpaypal\\b'
category = "scam"
kind = "link"
action = "flag"
severity = 2
enabled = false

[[rules]]
id = "insults"
detector = "words"
list = "insults"
action = "flag"
"""


def _rule(**fields: object) -> str:
    """A one-rule file; values are TOML literals."""
    body = {"id": '"r1"', "detector": '"phone"', "action": '"hold"'}
    body.update({key: str(value) for key, value in fields.items()})
    lines = [f"{key} = {value}" for key, value in body.items() if value != "None"]
    return "[[rules]]\n" + "\n".join(lines) + "\n"


def _error(text: str) -> RulesError:
    with pytest.raises(RulesError) as caught:
        load_rules(text)
    return caught.value


def test_load_rules_example_compiled_in_file_order() -> None:
    ruleset = load_rules(EXAMPLE)
    assert [rule.id for rule in ruleset] == ["phone-minor", "shouting", "paypal", "insults"]
    assert [rule.id for rule in ruleset.enabled] == ["phone-minor", "shouting", "insults"]
    assert set(ruleset.lists) == {"insults"}


def test_load_rules_defaults_filled_in() -> None:
    rule = load_rules(EXAMPLE).get("insults")
    assert rule is not None
    assert rule.category == "words:insults"
    assert rule.message_key == "automod_words_insults"
    assert rule.severity == 1
    assert rule.applies_to is AppliesTo.BOTH
    assert rule.audience is Audience.ANY
    assert rule.enabled is True


def test_load_rules_example_fields_read() -> None:
    rule = load_rules(EXAMPLE).get("phone-minor")
    assert rule is not None
    assert (rule.detector, rule.action, rule.severity) == (DetectorName.PHONE, Action.HOLD, 4)
    assert (rule.category, rule.message_key) == ("contact_details", "automod_contact_details")
    assert rule.audience is Audience.INVOLVES_MINOR


def test_load_rules_empty_text_no_rules() -> None:
    assert len(load_rules("")) == 0


@pytest.mark.parametrize(
    ("applies_to", "audience", "context", "applies"),
    [
        ("both", "any", Context.room(is_teen_room=False), True),
        ("rooms", "any", Context.dm(sender_is_minor=False, recipient_is_minor=False), False),
        ("dm", "any", Context.room(is_teen_room=True), False),
        ("dm", "any", Context(Channel.DM, False, False), True),
        ("both", "involves_minor", Context.room(is_teen_room=True), True),
        (
            "both",
            "involves_minor",
            Context.dm(sender_is_minor=False, recipient_is_minor=True),
            True,
        ),
        (
            "both",
            "involves_minor",
            Context.dm(sender_is_minor=True, recipient_is_minor=False),
            True,
        ),
        ("both", "involves_minor", Context.room(is_teen_room=False), False),
        ("both", "adults_only", Context.room(is_teen_room=False), True),
        ("both", "adults_only", Context.dm(sender_is_minor=True, recipient_is_minor=True), False),
    ],
)
def test_rule_applies_by_channel_and_audience(
    applies_to: str, audience: str, context: Context, applies: bool
) -> None:
    text = _rule(applies_to=f'"{applies_to}"', audience=f'"{audience}"')
    rule = load_rules(text).get("r1")
    assert rule is not None
    assert rule.applies(context) is applies


@pytest.mark.parametrize(
    ("text", "rule_id", "field", "words"),
    [
        (_rule(detector='"telepathy"'), "r1", "detector", "not one of"),
        (_rule(detector=None), "r1", "detector", "required"),
        (_rule(action='"ban"'), "r1", "action", "not one of"),
        (_rule(action=None), "r1", "action", "required"),
        (_rule(applies_to='"everywhere"'), "r1", "applies_to", "not one of"),
        (_rule(audience='"kids"'), "r1", "audience", "not one of"),
        (_rule(severity=0), "r1", "severity", "1 to 5"),
        (_rule(severity=6), "r1", "severity", "1 to 5"),
        (_rule(severity='"high"'), "r1", "severity", "integer"),
        (_rule(severity="true"), "r1", "severity", "integer"),
        (_rule(enabled='"yes"'), "r1", "enabled", "true or false"),
        (_rule(acton='"hold"'), "r1", "acton", "unknown field"),
        (_rule(category='"Contact Details"'), "r1", "category", "lower case"),
        (_rule(message_key='"Bad Key"'), "r1", "message_key", "i18n key"),
        (_rule(params="{ min_letters = 3 }"), "r1", "params.min_letters", "unknown parameter"),
        (_rule(params='"fast"'), "r1", "params", "expected a table"),
        (_rule(detector='"caps"', params="{ min_letters = 1 }"), "r1", "params.min_letters", "2"),
        (
            _rule(detector='"caps"', params='{ min_letters = "x" }'),
            "r1",
            "params.min_letters",
            "int",
        ),
        (_rule(params='{ leniency = "maybe" }'), "r1", "params.leniency", "possible"),
        (_rule(detector='"pattern"'), "r1", "pattern", "needs a regex"),
        (_rule(detector='"pattern"', pattern="'(unclosed'"), "r1", "pattern", "bad regex"),
        (_rule(detector='"pattern"', pattern="'a*'"), "r1", "pattern", "empty string"),
        (_rule(detector='"pattern"', pattern="'x'", kind='"blob"'), "r1", "kind", "not one of"),
        (_rule(detector='"pattern"', pattern="'x'", params="{}"), "r1", "params", "no params"),
        (_rule(pattern="'x'"), "r1", "pattern", "only a rule with detector = 'pattern'"),
        (_rule(list='"insults"'), "r1", "list", "only a rule with detector = 'words'"),
        (_rule(detector='"words"'), "r1", "list", "required"),
        (_rule(detector='"words"', list='"nope"'), "r1", "list", "no word list 'nope'"),
        (_rule() + _rule(), "r1", "id", "duplicate"),
    ],
)
def test_load_rules_bad_rule_error_names_rule_and_field(
    text: str, rule_id: str, field: str, words: str
) -> None:
    error = _error(text)
    assert (error.rule_id, error.field) == (rule_id, field)
    assert words in str(error)
    assert f"rule {rule_id!r}" in str(error) and f"field {field!r}" in str(error)


def test_load_rules_missing_id_error_names_position() -> None:
    error = _error('[[rules]]\ndetector = "phone"\naction = "hold"\n')
    assert error.field == "id"
    assert "rule #1" in str(error)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("versions = 1", "versions", "unknown top-level key"),
        ("version = 2", "version", "unsupported version"),
        ("rules = 3", "rules", "array of tables"),
        ("lists = 3", "lists", "table of word lists"),
        ('[lists.Bad]\nwords = ["x"]', "lists.Bad", "list name"),
        ("[lists.a]\nwords = 3", "lists.a.words", "list of strings"),
        ('[lists.a]\nwords = ["ok", ""]', "lists.a.words", "not a word"),
        ('[lists.a]\nwords = ["ok"]\nmots = []', "lists.a.mots", "unknown key"),
    ],
)
def test_load_rules_bad_file_error_names_field(text: str, field: str, words: str) -> None:
    error = _error(text)
    assert error.field == field
    assert error.rule_id is None
    assert words in str(error)


def test_load_rules_bad_toml_error_says_where() -> None:
    error = _error('[[rules]]\nid = "r1\n')
    assert "not valid TOML" in str(error)
    assert "line 2" in str(error)


def test_rules_error_type_config_error() -> None:
    assert issubclass(RulesError, ConfigError)
