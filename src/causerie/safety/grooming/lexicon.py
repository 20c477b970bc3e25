"""The grooming detector's learned vocabulary: how much each word and pair of words of a
message says "grooming" rather than ordinary teen chat.

The phrase rules (`rules.py`) know the stages by their typical sentences; groomers also say the
same things in words nobody wrote a phrase for. The lexicon reads the words themselves: it is a
naive Bayes model over the canonical words and word pairs of a line (presence only), trained on
labelled conversations (`train`), and `log_odds(text)` is how much more likely the line is a
grooming line than an ordinary one. A line far past `min_log_odds` adds a little to its
conversation's score (`scoring.py`), never a hold by itself, so ordinary chat that happens to
use a few of the same words stays untouched while a conversation that keeps talking that way
reaches the line sooner.

The shipped `default_lexicon.tsv` is trained by `scripts/train_grooming_lexicon.py` on the
project's synthetic corpora (tests/corpus/grooming/, the `*_dev` and `*_holdout` files; the
`*_fresh` files are kept out so the benchmark measures conversations it never saw). An operator
can train their own and point the rules file at it. Pure: no file is read here but the shipped
one, when asked.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from causerie.safety.grooming.canon import words_of

DEFAULT_RESOURCE = "default_lexicon.tsv"
MIN_COUNT = 2  # a feature seen fewer times in all the training lines is ignored
SMOOTHING = 0.5


def features(text: str) -> frozenset[str]:
    """The canonical words of a line, and each pair of neighbours as `a_b`."""
    words = words_of(text)
    return frozenset(words) | frozenset(f"{a}_{b}" for a, b in itertools.pairwise(words))


@dataclass(frozen=True, slots=True)
class Lexicon:
    prior: float  # log odds of a grooming line before reading it
    weights: Mapping[str, float]  # feature -> log likelihood ratio

    def log_odds(self, text: str) -> float:
        return self.prior + sum(self.weights.get(feature, 0.0) for feature in features(text))

    def to_tsv(self) -> str:
        lines = [f"#prior\t{self.prior:.4f}"]
        lines += [f"{feature}\t{weight:.4f}" for feature, weight in sorted(self.weights.items())]
        return "\n".join(lines) + "\n"


def train(grooming: Iterable[str], ordinary: Iterable[str]) -> Lexicon:
    """A lexicon from lines labelled grooming and ordinary (deterministic for the same lines)."""
    positive, negative = Counter[str](), Counter[str]()
    n_positive = n_negative = 0
    for line in grooming:
        positive.update(features(line))
        n_positive += 1
    for line in ordinary:
        negative.update(features(line))
        n_negative += 1
    if not n_positive or not n_negative:
        raise ValueError("training needs grooming lines and ordinary lines")
    weights: dict[str, float] = {}
    for feature in positive.keys() | negative.keys():
        if positive[feature] + negative[feature] < MIN_COUNT:
            continue
        seen_in_grooming = (positive[feature] + SMOOTHING) / (n_positive + 1)
        seen_in_ordinary = (negative[feature] + SMOOTHING) / (n_negative + 1)
        weights[feature] = round(math.log(seen_in_grooming / seen_in_ordinary), 4)
    return Lexicon(round(math.log(n_positive / n_negative), 4), weights)


def parse_lexicon(text: str) -> Lexicon:
    """Raises ValueError naming the line of a malformed file."""
    prior = 0.0
    weights: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        feature, _, value = line.partition("\t")
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"lexicon line {number}: expected 'feature<TAB>number'") from None
        if not math.isfinite(weight) or not feature.strip():
            raise ValueError(f"lexicon line {number}: expected 'feature<TAB>number'")
        if feature == "#prior":
            prior = weight
        else:
            weights[feature] = weight
    return Lexicon(prior, weights)


def load_default_lexicon() -> Lexicon:
    text = (
        resources.files("causerie.safety.grooming")
        .joinpath(DEFAULT_RESOURCE)
        .read_text(encoding="utf-8")
    )
    return parse_lexicon(text)
