"""The look-alike table as a data file: the build writes what the loader reads back, a broken
file stops the import, and the package ships the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from scripts.build_confusables import render

from causerie.core.policy import confusables
from causerie.core.policy.confusables import PROTOTYPES, parse_table

ROOT = Path(__file__).resolve().parents[4]
HEADER = "# Unicode-Version: 1.0.0\n# Source-Date: 2000-01-01\n# Source-SHA256: ab\n"


def test_build_output_reads_back_as_the_same_table() -> None:
    written = render(
        confusables.UNICODE_VERSION,
        confusables.SOURCE_DATE,
        confusables.SOURCE_SHA256,
        PROTOTYPES,
        ["© Unicode®, Inc."],
    )

    header, table = parse_table(written)

    assert table == PROTOTYPES
    assert header == {
        "Unicode-Version": confusables.UNICODE_VERSION,
        "Source-Date": confusables.SOURCE_DATE,
        "Source-SHA256": confusables.SOURCE_SHA256,
    }


def test_shipped_file_is_what_the_build_writes() -> None:
    shipped = (ROOT / "src/causerie/core/policy/confusables.tsv").read_text("utf-8")
    notice = [line[2:] for line in shipped.splitlines() if "©" in line or "trademarks" in line]

    rebuilt = render(
        confusables.UNICODE_VERSION,
        confusables.SOURCE_DATE,
        confusables.SOURCE_SHA256,
        PROTOTYPES,
        notice,
    )

    assert rebuilt == shipped


def test_prototypes_of_several_characters_and_beyond_the_bmp() -> None:
    header, table = parse_table(HEADER + "006D\t0072 006E\n1D400\t0041\n")

    assert table == {0x6D: "rn", 0x1D400: "A"}
    assert header["Unicode-Version"] == "1.0.0"


@pytest.mark.parametrize("line", ["0030 004F", "0030\t", "zz\t004F", "0030\t004G"])
def test_broken_line_stops_the_import(line: str) -> None:
    with pytest.raises(ValueError):
        parse_table(HEADER + line + "\n")


def test_missing_header_value_stops_the_import() -> None:
    with pytest.raises(ValueError, match="Source-SHA256"):
        parse_table("# Unicode-Version: 1.0.0\n# Source-Date: 2000-01-01\n0030\t004F\n")


def test_package_data_ships_the_table() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["causerie"]

    assert "core/policy/*.tsv" in shipped
