"""The rules file shipped with Causerie loads, and says what DESIGN.md rule 5 asks."""

from __future__ import annotations

from causerie.safety.automod import (
    Action,
    Audience,
    DetectorName,
    default_rules_text,
    load_default_rules,
    load_rules,
)


def test_default_rules_shipped_file_loads() -> None:
    ruleset = load_default_rules()
    assert len(ruleset) >= 15
    assert load_rules(default_rules_text()) == ruleset


def test_default_rules_word_lists_all_present() -> None:
    assert set(load_default_rules().lists) == {"insults", "hate", "illegal_goods", "sexual"}


def test_default_rules_contact_details_involving_minors_held() -> None:
    ruleset = load_default_rules()
    contact = {rule.detector: rule for rule in ruleset if rule.category == "contact_details"}
    assert set(contact) == {DetectorName.PHONE, DetectorName.EMAIL, DetectorName.HANDLE}
    for rule in contact.values():
        assert (rule.audience, rule.action, rule.severity) == (
            Audience.INVOLVES_MINOR,
            Action.HOLD,
            4,
        )


def test_default_rules_meeting_held_for_minors_notice_for_adults() -> None:
    meeting = [rule for rule in load_default_rules() if rule.category == "meeting"]
    by_audience = {(rule.detector, rule.audience): rule.action for rule in meeting}
    assert by_audience == {
        (DetectorName.MEETING, Audience.INVOLVES_MINOR): Action.HOLD,
        (DetectorName.ADDRESS, Audience.INVOLVES_MINOR): Action.HOLD,
        (DetectorName.MEETING, Audience.ADULTS_ONLY): Action.NOTICE,
        (DetectorName.ADDRESS, Audience.ADULTS_ONLY): Action.NOTICE,
    }


def test_default_rules_every_rule_message_key_set() -> None:
    assert all(rule.message_key.startswith("automod_") for rule in load_default_rules())
