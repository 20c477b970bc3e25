"""Build the word games' lists from Debian's `wfrench` dictionary.

One-off converter. It reads the `french` word list of Debian's `wfrench` package (GPL-2+,
one word a line, UTF-8, inflected forms included) and writes, in
`src/causerie/games/data/` (see SOURCE.md there):

- `words.txt.gz`: every accepted word, folded as a board holds it (`games.answers.fold_word`:
  A-Z, no accents), 2 to 15 letters, sorted. Proper nouns (capitalised entries) and compounds
  (a hyphen, an apostrophe or a space) are left out.
- `drawn.txt.gz`: the words a game may *draw* to be guessed (pendu, Motus), shown in any room
  including the teen space, so held to more: 4 to 12 letters, no inflected form whose base is
  in the list (plurals, conjugated verbs, so that a hangman word reads like a dictionary
  headword), nothing the automatic moderation's default word lists flag, nor a crude word of
  `CRUDE` below (words fine to accept from a player, never to be drawn).

Usage (see src/causerie/games/data/SOURCE.md)::

    apt-get download wfrench && dpkg-deb -x wfrench_*.deb x
    .venv/bin/python scripts/build_words.py x/usr/share/dict/french
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Iterable
from pathlib import Path

from causerie.games.answers import fold_word
from causerie.safety.automod import TextView, load_default_rules

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "causerie" / "games" / "data"

MIN_LETTERS, MAX_LETTERS = 2, 15
MIN_DRAWN, MAX_DRAWN = 4, 12

# Never drawn, whatever the automatic moderation lists hold: crude, sexual, slurs, drugs,
# violence a teen room should not be handed as a puzzle. Folded, matched as whole words and
# as the start of a longer word when they end with `*`.
CRUDE = """
    anal* anus baise* baisot* bicot* bitte* bite bites bitee biter branle* bordel bougnoul*
    bourre bourree caca cannabi* catin* chatte chiasse chie chiee chies chier chierie
    chieur* chiott* clito* cocaine coit* con conne connard* connass* conneri* couill*
    cretin* cul culs cule culee culer cunni* debile defonc* ejacul* emmerd* encul* enfoir*
    erect* erotiq* fellat* fesse* fion foutr* garce gode* gouine haschi* heroine hitler*
    inceste* lesbienn* marijuana masturb* merd* morphine nazi* negr* nichon* nique* orgasm*
    orgie* partouz* pd pede pedes pederast* pedophil* penis phallu* pine pisse* pisser*
    pornogr* prostitu* proxenet* pubi* pute* putain* puteri* putass* queue queues racaill*
    sado* salaud* salop* sexe* sexolog* sexu* sexy sodom* sperm* suicid* tantouz* tapette
    tarlouz* testicul* teton* teub travelo* tringl* troncher* turlutt* vagin* viol viols
    violer* violeur* vulve* youpin* zizi* zob*
    """.split()

# Conjugated forms. Endings (folded: "âmes" is AMES) that only verbs take in a headword-sized
# word, dropped outright; and for every verb of the list (a word ending in a verb's ending),
# the forms its stem makes ("abaissait" from "abaisser", "conduirez" from "conduire",
# "finissons" from "finir"). Nouns that happen to look like a form ("volant" beside "voler")
# are lost: the drawn list only has to be clean, not complete. "E" and "EE" endings stay
# ("porte", "armée" are words people know first as nouns).
_VERB_ONLY = tuple(
    "AIENT IONS IEZ ASSENT ISSENT USSENT INSSENT RIONS RIEZ RAIENT AMES IMES UMES INMES ATES "
    "ITES EASSE".split()
)
_TENSES = "AIS AIT IONS IEZ AIENT ONS EZ ENT ANT"
_FUTURE = "RAI RAS RA RONS REZ RONT RAIS RAIT RIONS RIEZ RAIENT"
_CONJUGATIONS = {
    "ER": f"{_TENSES} ES AI AS A AMES ATES ERENT ASSE ASSES AT ASSIONS ASSIEZ ASSENT "
    + " ".join(f"E{end}" for end in _FUTURE.split()),
    "IR": f"{_TENSES} S T IS IT I IE IES IMES ITES IRENT ISSE ISSES ISSONS ISSEZ ISSENT "
    "ISSAIS ISSAIT ISSAIENT ISSANT ISSIONS ISSIEZ "
    + " ".join(f"I{end}" for end in _FUTURE.split()),
    "RE": f"{_TENSES} S T IS IT U UE UES US UT UMES UTES URENT IMES ITES IRENT ISSE USSE {_FUTURE}",
    "OIR": f"{_TENSES} S T U UE UES US UT UMES UTES URENT USSE {_FUTURE}",
}


def fold_entries(lines: Iterable[str]) -> set[str]:
    """The accepted words: single lower-case words of the list, folded, 2 to 15 letters."""
    words: set[str] = set()
    for raw in lines:
        entry = raw.strip()
        if not entry or entry[0].isupper() or any(ch in entry for ch in "-' "):
            continue
        word = fold_word(entry)
        if MIN_LETTERS <= len(word) <= MAX_LETTERS:
            words.add(word)
    return words


def inflected(words: set[str]) -> set[str]:
    """Words that are an inflection of another word of the list: plurals, conjugated forms."""
    found = {word for word in words if word.endswith(_VERB_ONLY)}
    for word in words:
        if word.endswith(("S", "X")) and word[:-1] in words:
            found.add(word)
        elif word.endswith("AUX") and word[:-3] + "AL" in words:
            found.add(word)
        for base, endings in _CONJUGATIONS.items():
            stem = word[: -len(base)]
            if not word.endswith(base) or len(stem) < 3:
                continue
            found.update(form for end in endings.split() if (form := stem + end) in words)
            if base == "ER" and stem.endswith("G"):  # manger: mangeons, mangeait
                found.update(f for end in endings.split() if (f := f"{stem}E{end}") in words)
    return found


def is_crude(word: str) -> bool:
    lowered = word.lower()
    for entry in CRUDE:
        if entry.endswith("*"):
            if lowered.startswith(entry[:-1]):
                return True
        elif lowered == entry:
            return True
    return False


def drawable(words: set[str]) -> set[str]:
    """The words fit to be drawn and shown in any room (see the module's docstring)."""
    lists = list(load_default_rules().lists.values())
    forms = inflected(words)
    fit = set()
    for word in words:
        if not MIN_DRAWN <= len(word) <= MAX_DRAWN or word in forms or is_crude(word):
            continue
        view = TextView(word.lower())
        if any(found(view) for found in lists):
            continue
        fit.add(word)
    return fit


def write(path: Path, words: set[str]) -> None:
    # mtime=0: the same words always give the same bytes, so a rebuild shows no spurious diff.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write("".join(f"{word}\n" for word in sorted(words)).encode("ascii"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="wfrench's usr/share/dict/french")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    words = fold_entries(args.source.read_text(encoding="utf-8").splitlines())
    drawn = drawable(words)
    write(args.out / "words.txt.gz", words)
    write(args.out / "drawn.txt.gz", drawn)
    for name, count in (("words.txt.gz", len(words)), ("drawn.txt.gz", len(drawn))):
        size = (args.out / name).stat().st_size
        print(f"{name}: {count} words, {size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
