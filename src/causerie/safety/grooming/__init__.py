"""Grooming seen as a conversation (issue: adults posing as teens).

How this works:

1. `canon.py` puts every message in one canonical spelling (folding, letters spaced out,
   leetspeak, stretched letters, plurals, SMS writing), French and English.
2. `phrases.py` compiles the operator's phrase templates to patterns over that canonical text;
   the templates are written in ordinary spelling and put in canonical form themselves.
3. `rules.py` loads the rules file (`default_grooming.toml`, or the operator's file): stages of
   grooming (flattery and trust, isolation and risk checks, secrecy, deleting messages, gifts
   and money, another app, pictures, sexual talk, meeting), each with a weight, whether its
   messages to a minor are held, and its phrases.
4. `scoring.py` follows each directed conversation to a minor over time: stage values that fade,
   a bonus for distinct stages, a threshold crossed once until a moderator decides.
5. `watch.py` is the hub's `ConversationWatch`, reloading the operator's file when it changes.

Pure except `watch.py`'s file reading: the clock is passed in, and the same messages at the same
times always give the same scores.
"""

from causerie.safety.grooming.rules import (
    GroomingRules,
    Scoring,
    Stage,
    load_default_grooming_rules,
    load_grooming_rules,
)
from causerie.safety.grooming.scoring import ConversationTracker, Observation

__all__ = [
    "ConversationTracker",
    "GroomingRules",
    "Observation",
    "Scoring",
    "Stage",
    "load_default_grooming_rules",
    "load_grooming_rules",
]
