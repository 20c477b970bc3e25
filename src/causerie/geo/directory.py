"""French postal code -> département and region lookup.

This module holds the :class:`PostcodeDirectory` (an in-memory table from 5-digit postal
codes to :class:`Location`), the parser of the two TSV files shipped in ``data/``
(``postcodes.tsv``: ``postcode<TAB>département``; ``departements.tsv``:
``code<TAB>name<TAB>region``) and :func:`load_directory`, which reads them once per
process. The data comes from the npm package ``codes-postaux``; see ``data/SOURCE.md``
and ``scripts/build_postcodes.py`` to regenerate it.

A postal code serving communes of several départements maps to one of them (the one with
the most communes), so a lookup gives the main département, not every one it touches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = [
    "OVERSEAS_REGION",
    "Location",
    "PostcodeDataError",
    "PostcodeDirectory",
    "load_directory",
    "parse_directory",
]

OVERSEAS_REGION = "Outre-mer"
"""Region given to every overseas département and collectivité (971-976, 977, 978, 98x)."""

_DIGITS = frozenset("0123456789")
_DEPARTMENT_CODES_2 = frozenset({f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"})


@dataclass(frozen=True, slots=True)
class Location:
    """Where a postal code is: its département and region."""

    department: str  # "75", "2A", "971"
    department_name: str  # "Paris", "Corse-du-Sud", "Guadeloupe"
    region: str  # "Île-de-France", "Corse", OVERSEAS_REGION


class PostcodeDataError(ValueError):
    """The shipped postal-code data is malformed."""


def _is_postcode(text: str) -> bool:
    return len(text) == 5 and all(char in _DIGITS for char in text)


def _is_department_code(code: str) -> bool:
    if code in _DEPARTMENT_CODES_2:
        return True
    return len(code) == 3 and code[:2] in ("97", "98") and code[2] in _DIGITS


def _department_order(code: str) -> str:
    # INSEE order: 2A and 2B sort between 19 and 21; overseas (3 digits, 97x/98x) last.
    return "20" + code[1] if code in ("2A", "2B") else code


def _region_order(region: str) -> tuple[bool, str]:
    # Accent- and case-insensitive, so "Île-de-France" sorts among the I's; overseas last.
    decomposed = unicodedata.normalize("NFKD", region)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return (region == OVERSEAS_REGION, plain.casefold())


class PostcodeDirectory:
    """Immutable table from French 5-digit postal codes to :class:`Location`."""

    __slots__ = ("_locations",)

    def __init__(self, locations: Mapping[str, Location]) -> None:
        for postcode in locations:
            if not _is_postcode(postcode):
                raise ValueError(f"not a 5-digit postal code: {postcode!r}")
        self._locations: dict[str, Location] = dict(locations)

    def locate(self, postcode: str) -> Location | None:
        """Location of ``postcode``, or None if it is not a known French postal code.

        Only surrounding whitespace is stripped; the rest must be exactly 5 ASCII digits
        (no inner space, no full-width digits, no CEDEX suffix).
        """
        candidate = postcode.strip()
        if not _is_postcode(candidate):
            return None
        return self._locations.get(candidate)

    def regions(self) -> list[str]:
        """Regions present, metropolitan ones sorted by name, then OVERSEAS_REGION last."""
        return sorted({location.region for location in self._locations.values()}, key=_region_order)

    def departments(self) -> list[Location]:
        """One :class:`Location` per département present (code, name, region), INSEE order."""
        unique = {location.department: location for location in self._locations.values()}
        return [unique[code] for code in sorted(unique, key=_department_order)]

    def __len__(self) -> int:
        return len(self._locations)

    def __contains__(self, postcode: object) -> bool:
        return isinstance(postcode, str) and self.locate(postcode) is not None

    def __repr__(self) -> str:
        return f"<PostcodeDirectory: {len(self)} postal codes>"


def _rows(text: str, source: str, width: int) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) != width or any(not field or field != field.strip() for field in fields):
            raise PostcodeDataError(
                f"{source}:{number}: expected {width} non-empty tab-separated fields, got {line!r}"
            )
        rows.append((number, fields))
    if not rows:
        raise PostcodeDataError(f"{source}: no data")
    return rows


def parse_directory(
    postcodes_tsv: str,
    departments_tsv: str,
    *,
    postcodes_source: str = "postcodes.tsv",
    departments_source: str = "departements.tsv",
) -> PostcodeDirectory:
    """Build a directory from the texts of ``postcodes.tsv`` and ``departements.tsv``.

    Raises :class:`PostcodeDataError` (naming the file and line) on a malformed line, a
    duplicate code, or a postal code whose département is not in ``departements.tsv``.
    """
    departments: dict[str, Location] = {}
    for number, (code, name, region) in _rows(departments_tsv, departments_source, 3):
        if not _is_department_code(code):
            raise PostcodeDataError(f"{departments_source}:{number}: bad département code {code!r}")
        if code in departments:
            raise PostcodeDataError(f"{departments_source}:{number}: duplicate code {code!r}")
        departments[code] = Location(department=code, department_name=name, region=region)

    locations: dict[str, Location] = {}
    for number, (postcode, code) in _rows(postcodes_tsv, postcodes_source, 2):
        if not _is_postcode(postcode):
            raise PostcodeDataError(f"{postcodes_source}:{number}: bad postal code {postcode!r}")
        if postcode in locations:
            raise PostcodeDataError(
                f"{postcodes_source}:{number}: duplicate postal code {postcode!r}"
            )
        location = departments.get(code)
        if location is None:
            raise PostcodeDataError(
                f"{postcodes_source}:{number}: département {code!r} is not in {departments_source}"
            )
        locations[postcode] = location
    return PostcodeDirectory(locations)


@cache
def load_directory() -> PostcodeDirectory:
    """The directory built from the data shipped with Causerie, read once per process."""
    data = files("causerie.geo") / "data"
    try:
        postcodes_tsv = (data / "postcodes.tsv").read_text(encoding="utf-8")
        departments_tsv = (data / "departements.tsv").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PostcodeDataError(f"cannot read causerie.geo postal-code data: {error}") from error
    return parse_directory(postcodes_tsv, departments_tsv)
