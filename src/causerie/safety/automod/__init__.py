"""Automatic moderation (DESIGN.md, product rule 5): rules an operator edits, applied to every
message before it is delivered.

How this works:

1. Loading. The operator's rules file (TOML, see `default_rules.toml` for the format and the
   shipped defaults) is parsed by `load_rules(text)` into a `RuleSet`: every rule names a
   detector, where it applies (`rooms`, `dm`, `both`), to whom (`any`, `involves_minor`,
   `adults_only`), an action and a severity. Regexes and word lists are compiled here, once;
   any mistake raises `RulesError` naming the rule and the field. The server reads the file
   and calls `load_rules` again when it changes; this package reads no file but its own
   defaults (`load_default_rules`).
2. Folding. A message is seen through `TextView`: the original text, a folded copy (lower
   case, no accents, fancy Unicode letters and digits made plain, typographic quotes made
   `'`) and a leet copy for word lists. An index map takes folded positions back to the
   original, so every finding is a `Span` of what the sender actually typed. The contact
   detectors also read the *normalised view* (`normalising.py`, `normalise(text)`), where
   the disguises put on contact details are taken off: letters spaced out one by one,
   `[.]`/`(dot)`/`(at)`, glued spelled numbers, look-alike letters from other scripts.
3. Detecting. Built-in detectors (`detectors.py`) find phone numbers (`phonenumbers` plus a
   stream of digits read from number words: "zéro six douze…"), e-mail addresses, handles on
   other apps, links, meeting proposals, street addresses, shouting, repetition and word-list
   entries; `pattern` rules bring the operator's own regexes.
4. Judging. `Automod(ruleset).evaluate(text, context)` runs each applicable rule's detector
   (each detector at most once per message) and returns a `Verdict`: every matching rule
   with its spans, the outcome (block > hold > deliver) and the flags to raise alongside
   (warn the sender, flag for moderators, show both sides a safety notice), the highest
   severity, the i18n keys to show, `is_automatic=True` for statements of reasons, and
   `masked(text)` for a request inbox (contact details replaced by `•••`).

Pure: no I/O, no clock, no shared state; the same text and context always give the same
verdict. Flood and repeated messages across time are the rate limiter's job, not this one's.
"""

from causerie.safety.automod.context import Channel, Context
from causerie.safety.automod.detectors import Detector, DetectorName
from causerie.safety.automod.engine import Automod, Outcome, RuleMatch, Verdict
from causerie.safety.automod.folding import TextView
from causerie.safety.automod.normalising import Normalised, normalise, normalised_view
from causerie.safety.automod.rules import (
    Action,
    AppliesTo,
    Audience,
    Rule,
    RulesError,
    RuleSet,
    default_rules_text,
    load_default_rules,
    load_rules,
)
from causerie.safety.automod.spans import MASK, MASKED_KINDS, Span, SpanKind, mask_text

__all__ = [
    "MASK",
    "MASKED_KINDS",
    "Action",
    "AppliesTo",
    "Audience",
    "Automod",
    "Channel",
    "Context",
    "Detector",
    "DetectorName",
    "Normalised",
    "Outcome",
    "Rule",
    "RuleMatch",
    "RuleSet",
    "RulesError",
    "Span",
    "SpanKind",
    "TextView",
    "Verdict",
    "default_rules_text",
    "load_default_rules",
    "load_rules",
    "mask_text",
    "normalise",
    "normalised_view",
]
