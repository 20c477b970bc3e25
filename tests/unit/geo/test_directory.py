"""Tests for causerie.geo.directory against the real shipped postal-code data."""

from __future__ import annotations

from importlib.resources import files

import pytest

from causerie.geo import (
    OVERSEAS_REGION,
    Location,
    PostcodeDataError,
    PostcodeDirectory,
    load_directory,
    parse_directory,
)

METROPOLITAN_REGIONS = [
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
]


@pytest.fixture(scope="module")
def directory() -> PostcodeDirectory:
    return load_directory()


def _shipped(name: str) -> str:
    return (files("causerie.geo") / "data" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("75011", Location("75", "Paris", "Île-de-France")),
        ("20000", Location("2A", "Corse-du-Sud", "Corse")),
        ("20200", Location("2B", "Haute-Corse", "Corse")),
        ("97400", Location("974", "La Réunion", OVERSEAS_REGION)),
        ("97600", Location("976", "Mayotte", OVERSEAS_REGION)),
        ("97100", Location("971", "Guadeloupe", OVERSEAS_REGION)),
        ("97500", Location("975", "Saint-Pierre-et-Miquelon", OVERSEAS_REGION)),
        ("13001", Location("13", "Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur")),
    ],
)
def test_locate_known_postcode_returns_department_and_region(
    directory: PostcodeDirectory, postcode: str, expected: Location
) -> None:
    assert directory.locate(postcode) == expected


def test_locate_surrounding_whitespace_is_stripped(directory: PostcodeDirectory) -> None:
    assert directory.locate(" \t75011\n") == Location("75", "Paris", "Île-de-France")


@pytest.mark.parametrize("postcode", ["00000", "99999", "75999", "98000"])
def test_locate_unknown_postcode_returns_none(directory: PostcodeDirectory, postcode: str) -> None:
    assert directory.locate(postcode) is None


def test_locate_new_caledonia_absent_from_source_returns_none(
    directory: PostcodeDirectory,
) -> None:
    # codes-postaux 4.1.2 has no 98x collectivité; if a new version adds them, assert them.
    assert directory.locate("98800") is None
    assert not [d for d in directory.departments() if d.department.startswith("98")]


@pytest.mark.parametrize(
    "postcode",
    ["7501", "750011", "75 011", "abcde", "", "   ", "７５０１１", "75011 CEDEX", "+7501", "7501a"],
)
def test_locate_malformed_input_returns_none(directory: PostcodeDirectory, postcode: str) -> None:
    assert directory.locate(postcode) is None


def test_locate_postcode_served_mostly_by_other_department_uses_commune_department(
    directory: PostcodeDirectory,
) -> None:
    # 01590 serves Dortan (Ain, 01) and Chancia, Lavancia-Epercy (Jura, 39): the
    # département comes from the INSEE commune codes, not the postal code's digits.
    location = directory.locate("01590")
    assert location == Location("39", "Jura", "Bourgogne-Franche-Comté")


def test_locate_postcode_with_department_tie_uses_smallest_code(
    directory: PostcodeDirectory,
) -> None:
    # 42620: one commune in Loire (42), one in Allier (03); 75015: Paris and Issy (92).
    location = directory.locate("42620")
    assert location is not None and location.department == "03"
    location = directory.locate("75015")
    assert location is not None and location.department == "75"


def test_len_shipped_data_has_over_6000_postcodes(directory: PostcodeDirectory) -> None:
    assert len(directory) > 6000
    assert len(directory) == len(_shipped("postcodes.tsv").splitlines())


def test_departments_every_code_in_postcodes_file_has_name_and_region(
    directory: PostcodeDirectory,
) -> None:
    used = {line.split("\t")[1] for line in _shipped("postcodes.tsv").splitlines()}
    by_code = {d.department: d for d in directory.departments()}
    assert set(by_code) == used
    allowed_regions = set(METROPOLITAN_REGIONS) | {OVERSEAS_REGION}
    for code in used:
        assert by_code[code].department_name
        assert by_code[code].region in allowed_regions


def test_departments_shipped_data_sorted_in_insee_order(directory: PostcodeDirectory) -> None:
    codes = [d.department for d in directory.departments()]
    assert codes[:3] == ["01", "02", "03"]
    assert codes[codes.index("19") : codes.index("19") + 4] == ["19", "2A", "2B", "21"]
    assert codes[-6:] == ["971", "972", "973", "974", "975", "976"]
    assert len(codes) == 102


def test_departments_overseas_codes_have_overseas_region(directory: PostcodeDirectory) -> None:
    for department in directory.departments():
        is_overseas = len(department.department) == 3
        assert (department.region == OVERSEAS_REGION) is is_overseas


def test_regions_shipped_data_has_13_metropolitan_then_overseas(
    directory: PostcodeDirectory,
) -> None:
    assert directory.regions() == [*METROPOLITAN_REGIONS, OVERSEAS_REGION]


def test_load_directory_called_twice_returns_cached_instance() -> None:
    assert load_directory() is load_directory()


def test_contains_known_and_unknown_postcodes_answers_membership(
    directory: PostcodeDirectory,
) -> None:
    assert "75011" in directory
    assert "00000" not in directory
    assert 75011 not in directory


def test_directory_non_postcode_key_raises_value_error() -> None:
    with pytest.raises(ValueError, match="5-digit"):
        PostcodeDirectory({"7501": Location("75", "Paris", "Île-de-France")})


_DEPARTMENTS_OK = "75\tParis\tÎle-de-France\n"


@pytest.mark.parametrize(
    ("postcodes_tsv", "departments_tsv", "message"),
    [
        ("75011\t75\n", "", r"departements\.tsv: no data"),
        ("", _DEPARTMENTS_OK, r"postcodes\.tsv: no data"),
        ("75011 75\n", _DEPARTMENTS_OK, r"postcodes\.tsv:1: expected 2"),
        ("75011\t75\n\n", _DEPARTMENTS_OK, r"postcodes\.tsv:2: expected 2"),
        ("75011\t75\textra\n", _DEPARTMENTS_OK, r"postcodes\.tsv:1: expected 2"),
        ("7501\t75\n", _DEPARTMENTS_OK, r"postcodes\.tsv:1: bad postal code"),
        ("75011\t75\n75011\t75\n", _DEPARTMENTS_OK, r"postcodes\.tsv:2: duplicate"),
        ("75011\t76\n", _DEPARTMENTS_OK, r"postcodes\.tsv:1: département '76' is not in"),
        ("75011\t75\n", "75\tParis\n", r"departements\.tsv:1: expected 3"),
        ("75011\t75\n", "20\tCorse\tCorse\n", r"departements\.tsv:1: bad département code"),
        ("75011\t75\n", _DEPARTMENTS_OK * 2, r"departements\.tsv:2: duplicate"),
    ],
)
def test_parse_directory_malformed_data_raises_postcode_data_error(
    postcodes_tsv: str, departments_tsv: str, message: str
) -> None:
    with pytest.raises(PostcodeDataError, match=message):
        parse_directory(postcodes_tsv, departments_tsv)


def test_parse_directory_valid_text_builds_directory() -> None:
    directory = parse_directory("75011\t75\n", _DEPARTMENTS_OK)
    assert len(directory) == 1
    assert directory.locate("75011") == Location("75", "Paris", "Île-de-France")
    assert directory.regions() == ["Île-de-France"]
