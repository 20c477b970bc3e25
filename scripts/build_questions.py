"""Build the quiz bank (`src/causerie/games/data/questions/*.tsv`) from the project's fact tables.

The facts were written for Causerie, in `scripts/quiz_facts/`: tables (countries and their
capitals, continents and currencies; the préfecture of each département, whose name and region
come from `src/causerie/geo/data/departements.tsv`; chemical elements; …) that this script
turns into varied questions, each with a hint, plus `questions.tsv`, the questions written by
hand, already in the bank's format; and the blind test's items (`games/data/blind.tsv`) from
`quiz_facts/blind.tsv`, written by hand, and the countries table. Every line it writes is
`category<TAB>teens<TAB>question<TAB>answer|other accepted answer…<TAB>hint` (see
`games/library.py`), one file per category. Exact computations (the Maths category) are drawn
from a fixed seed, so a rebuild writes the same bank.

It refuses to write a bank with a question asked twice (folded) or a malformed line: fix the
facts, never the output. Usage::

    .venv/bin/python scripts/build_questions.py
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from random import Random

from causerie.games.answers import fold
from causerie.games.library import parse_questions, parse_riddles

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "scripts" / "quiz_facts"
DATA = ROOT / "src" / "causerie" / "games" / "data"
OUT = DATA / "questions"
DEPARTEMENTS = ROOT / "src" / "causerie" / "geo" / "data" / "departements.tsv"

Line = tuple[str, bool, str, str, str]
"""category, fit for teens, question, answers joined by |, hint."""


def rows(name: str) -> Iterator[list[str]]:
    path = FACTS / name if "/" not in name else Path(name)
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            yield raw.split("\t")


def first(answers: str) -> str:
    return answers.split("|")[0]


def starts(answers: str) -> str:
    """A hint from the answer itself: its first letter and its length."""
    answer = first(answers)
    letters = sum(char.isalpha() for char in answer)
    return f"Commence par « {answer[0].upper()} », {letters} lettres"


MUTE_H = ("Haïti", "Honoré")
"""Names whose h lets "de" elide; Hambourg or Hong Kong keep "de"."""


def of(article: str, name: str) -> str:
    """ "de la France", "du Japon", "des Pays-Bas", "de l'Italie", "de Cuba"."""
    match article:
        case "le":
            return f"du {name}"
        case "les":
            return f"des {name}"
        case "la":
            return f"de la {name}"
        case "l'":
            return f"de l'{name}"
    is_elided = name[0] in "AEIOUÉ" or name.startswith(MUTE_H)
    return f"d'{name}" if is_elided else f"de {name}"


def the(article: str, name: str) -> str:
    """ "la France", "l'Italie", "Cuba"."""
    if article == "-":
        return name
    return f"{article}{name}" if article == "l'" else f"{article} {name}"


def countries() -> Iterator[Line]:
    cat = "Géographie"
    for names, article, capital, continent, currency in rows("pays.tsv"):
        name = first(names)
        where = f"Un pays d'{first(continent)}"
        yield cat, True, f"Quelle est la capitale {of(article, name)} ?", capital, starts(capital)
        if fold(first(capital)) != fold(name):
            reverse = f"{first(capital)} est la capitale de quel pays ?"
            hint = where if continent != "?" else starts(names)
            yield cat, True, reverse, names, hint
        if continent != "?":
            question = f"Sur quel continent se trouve {the(article, name)} ?"
            yield cat, True, question, continent, f"Sa capitale est {first(capital)}"
        if currency:
            question = f"Quelle est la monnaie {of(article, name)} ?"
            yield cat, True, question, currency, starts(currency)


REGIONS = {
    "Provence-Alpes-Côte d'Azur": "Provence-Alpes-Côte d'Azur|PACA",
    "Auvergne-Rhône-Alpes": "Auvergne-Rhône-Alpes|AURA",
    "Île-de-France": "Île-de-France|IDF",
    "Centre-Val de Loire": "Centre-Val de Loire|Centre",
}


def departements() -> Iterator[Line]:
    cat = "France"
    prefectures = {code: towns for code, towns in rows("prefectures.tsv")}
    for code, name, region in rows(str(DEPARTEMENTS)):
        if code not in prefectures:
            continue  # Saint-Pierre-et-Miquelon is a collectivité, not a département
        towns = prefectures[code]
        label = f"« {name} »"
        number = code if code[0] != "0" else f"{code}|{code[1]}"
        yield (
            cat,
            True,
            f"Quel est le numéro du département {label} ?",
            number,
            f"Préfecture : {first(towns)}",
        )
        yield (
            cat,
            True,
            f"Quel département porte le numéro {code} ?",
            name,
            f"Préfecture : {first(towns)}" if first(towns) != name else f"Région : {region}",
        )
        if fold(first(towns)) != fold(name):
            yield (
                cat,
                True,
                f"Quelle est la préfecture du département {label} ?",
                towns,
                starts(towns),
            )
            question = f"{first(towns)} est la préfecture de quel département ?"
            yield cat, True, question, f"{name}|{number}", starts(name)
        if region != "Outre-mer":
            question = f"Dans quelle région se trouve le département {label} ?"
            yield cat, True, question, REGIONS.get(region, region), f"Préfecture : {first(towns)}"


def elements() -> Iterator[Line]:
    cat = "Sciences"
    for number, name, symbol in rows("elements.tsv"):
        title = name[0].upper() + name[1:]
        yield (
            cat,
            True,
            f"Quel est le symbole chimique de l'élément {name} ?",
            symbol,
            f"Numéro atomique {number}",
        )
        yield cat, True, f"Quel élément chimique a pour symbole {symbol} ?", title, starts(title)
        if int(number) <= 30 or name in ("or", "argent", "plomb", "uranium", "mercure"):
            question = f"Quel est le numéro atomique de l'élément {name} ?"
            yield cat, True, question, number, f"Son symbole : {symbol}"


def around(value: int) -> str:
    """A hint for a number: the two tens (or hundreds) it lies between."""
    step = 10 if value < 200 else 100
    if value % step == 0:
        return f"Entre {value - step // 2} et {value + step // 2}"
    low = value // step * step
    return f"Entre {low} et {low + step}"


def maths() -> Iterator[Line]:
    cat = "Maths"
    rng = Random(21)
    pairs = sorted({(rng.randint(6, 15), rng.randint(6, 15)) for _ in range(80)})
    for a, b in pairs[:45]:
        yield cat, True, f"Combien font {a} × {b} ?", str(a * b), around(a * b)
    for n in range(11, 26):
        yield cat, True, f"Combien fait {n} au carré ?", str(n * n), around(n * n)
    for n in range(2, 11):
        yield cat, True, f"Combien fait {n} au cube ?", str(n**3), around(n**3)
    for n in (4, 5, 6, 7, 8, 9, 10, 12, 16):
        yield cat, True, f"Combien vaut 2 puissance {n} ?", str(2**n), around(2**n)
    for n in (49, 64, 81, 121, 144, 169, 196, 225, 400, 625):
        root = int(n**0.5)
        yield cat, True, f"Quelle est la racine carrée de {n} ?", str(root), around(root)
    for percent, total in ((10, 250), (20, 150), (25, 80), (50, 46), (75, 200), (15, 60), (30, 90)):
        value = percent * total // 100
        yield cat, True, f"Combien font {percent} % de {total} ?", str(value), around(value)
    romans = {
        4: "IV", 9: "IX", 14: "XIV", 19: "XIX", 40: "XL", 49: "XLIX",
        90: "XC", 400: "CD", 1515: "MDXV", 1789: "MDCCLXXXIX", 2024: "MMXXIV",
    }  # fmt: skip
    for value, roman in romans.items():
        yield (
            cat,
            True,
            f"Quel nombre s'écrit {roman} en chiffres romains ?",
            str(value),
            around(value),
        )


def works() -> Iterator[Line]:
    cat = "Littérature"
    by_author: dict[str, list[str]] = {}
    teen_author: dict[str, bool] = {}
    for title, authors, hint, teens in rows("oeuvres.tsv"):
        yield cat, teens == "1", f"Qui a écrit « {title} » ?", authors, hint
        by_author.setdefault(authors, []).append(title)
        teen_author[authors] = teen_author.get(authors, True) and teens == "1"
    for authors, titles in by_author.items():
        if len(titles) >= 2:
            name = first(authors)
            question = f"Citez une œuvre {of('-', name)}."
            hint = f"Par exemple : {letters(titles[0])}"
            yield cat, teen_author[authors], question, "|".join(titles), hint


def letters(answer: str) -> str:
    """Each word's first letter, the rest as underscores: "Le Cid" gives "L_ C__"."""
    return " ".join(word[0] + "_" * (len(word) - 1) for word in answer.split())


def dates() -> Iterator[Line]:
    for category, teens, question, answers, hint in rows("dates.tsv"):
        yield category, teens == "1", question, answers, hint


def animals() -> Iterator[Line]:
    cat = "Nature"
    for animal, young, cry in rows("animaux.tsv"):
        if young:
            article, name = ("l'", animal[2:]) if animal.startswith("l'") else animal.split(" ", 1)
            whose = of(article, name)
            yield cat, True, f"Comment s'appelle le petit {whose} ?", young, starts(young)
        if cry:
            title = animal[0].upper() + animal[1:]
            question = f"Complétez le cri de l'animal : « {title} … » (au présent)"
            yield cat, True, question, cry, starts(cry)


def language() -> Iterator[Line]:
    cat = "Langue française"
    for singular, plural in rows("pluriels.tsv"):
        yield cat, True, f"Quel est le pluriel de « {singular} » ?", plural, starts(plural)
    for verb, participle, past, future in rows("verbes.tsv"):
        yield (
            cat,
            True,
            f"Quel est le participe passé du verbe « {verb} » ?",
            participle,
            starts(participle),
        )
        he = "|".join(
            alt for form in past.split("|") for alt in (form, f"il {form}", f"elle {form}")
        )
        question = f"Conjuguez « {verb} » au passé simple, 3e personne du singulier (il…)"
        yield cat, True, question, he, starts(past)
        i = "|".join(
            alt
            for form in future.split("|")
            for alt in (form, f"j'{form}" if form[0] in "aeiouéè" else f"je {form}")
        )
        question = f"Conjuguez « {verb} » au futur simple, 1re personne du singulier (je…)"
        yield cat, True, question, i, starts(future)
    for word, opposite in rows("contraires.tsv"):
        yield cat, True, f"Quel est le contraire de « {word} » ?", opposite, starts(opposite)


def football() -> Iterator[Line]:
    cat = "Sport"
    for year, winner, host in rows("mondiaux.tsv"):
        is_home = fold(first(host)) == fold(first(winner))
        question = f"Quel pays a gagné la Coupe du monde de football masculine de {year} ?"
        hint = starts(winner) if is_home else f"Pays organisateur : {first(host)}"
        yield cat, True, question, winner, hint
        question = f"Quel pays a organisé la Coupe du monde de football masculine de {year} ?"
        hint = starts(host) if is_home else f"Vainqueur : {first(winner)}"
        yield cat, True, question, host, hint
    for year, city, country in rows("jo.tsv"):
        held = " (tenus en 2021)" if year == "2020" else ""
        question = f"Quelle ville a accueilli les Jeux olympiques d'été de {year}{held} ?"
        yield cat, True, question, city, f"Pays : {country}"


def cities_and_paintings() -> Iterator[Line]:
    for city, countries in rows("villes.tsv"):
        question = f"Dans quel pays se trouve la ville {of('-', first(city))} ?"
        yield "Géographie", True, question, countries, starts(countries)
    for title, painters, hint in rows("tableaux.tsv"):
        yield "Arts", True, f"Qui a peint « {title} » ?", painters, hint


def handwritten() -> Iterator[Line]:
    for category, teens, text, answers, hint in rows("questions.tsv"):
        yield category, teens == "1", text, answers, hint


def riddles() -> Iterator[tuple[str, bool, str, tuple[str, ...]]]:
    """The blind test's items: `blind.tsv` by hand, then countries from three clues."""
    for category, teens, answers, *clues in rows("blind.tsv"):
        yield category, teens == "1", answers, tuple(clues)
    for names, _article, capital, continent, currency in rows("pays.tsv"):
        if continent == "?" or not currency or fold(first(capital)) == fold(first(names)):
            continue
        # "franc suisse" would name the answer: the shortest accepted form then ("franc").
        money = first(currency)
        if any(fold(name) in fold(money) for name in names.split("|")):
            money = min(currency.split("|"), key=len)
        clues = (
            f"Sa monnaie : {money}.",
            f"Un pays d'{first(continent)}.",
            f"Sa capitale : {first(capital)}.",
        )
        yield "Pays", True, names, clues


def write_riddles() -> None:
    seen: set[str] = set()
    text = ""
    for category, is_teen, answers, clues in riddles():
        if fold(first(answers)) in seen:
            sys.exit(f"blind test: {first(answers)!r} twice")
        seen.add(fold(first(answers)))
        text += "\t".join((category, str(int(is_teen)), answers, *clues)) + "\n"
    parse_riddles(text.splitlines(), "blind.tsv")  # raises on a malformed line
    header = "# Generated by scripts/build_questions.py from scripts/quiz_facts/: edit there.\n"
    (DATA / "blind.tsv").write_text(header + text, encoding="utf-8")
    print(f"blind test: {len(seen)} items")


def slug(category: str) -> str:
    return fold(category).replace(" ", "-")


def build() -> dict[str, list[Line]]:
    by_category: dict[str, list[Line]] = {}
    seen: dict[str, str] = {}
    parts = (
        countries,
        departements,
        elements,
        maths,
        works,
        dates,
        animals,
        language,
        football,
        cities_and_paintings,
    )
    for line in (*(line for part in parts for line in part()), *handwritten()):
        key = fold(line[2])
        if key in seen:
            sys.exit(f"asked twice: {line[2]!r} (and {seen[key]!r})")
        seen[key] = line[2]
        by_category.setdefault(line[0], []).append(line)
    return by_category


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.tsv"):
        old.unlink()
    total = teens = 0
    for category, lines in sorted(build().items()):
        text = "".join(
            f"{cat}\t{int(is_teen)}\t{question}\t{answers}\t{hint}\n"
            for cat, is_teen, question, answers, hint in lines
        )
        parse_questions(text.splitlines(), category)  # raises on a malformed line
        header = "# Generated by scripts/build_questions.py from scripts/quiz_facts/: edit there.\n"
        (OUT / f"{slug(category)}.tsv").write_text(header + text, encoding="utf-8")
        fit = sum(line[1] for line in lines)
        total, teens = total + len(lines), teens + fit
        print(f"{category}: {len(lines)} ({fit} for teens)")
    print(f"total: {total} ({teens} for teens)")
    write_riddles()


if __name__ == "__main__":
    main()
