"""UTS #39 confusable prototypes: every character that Unicode's confusables.txt lists, mapped to
its prototype, the characters it is read as (`а` Cyrillic -> `a`, `0` -> `O`, `m` -> `rn`).

The table is the data file `confusables.tsv` beside this module (built by
scripts/build_confusables.py; source, licence and how to refresh: CONFUSABLES.md), read once
when the module is first imported, like a Python module's own literals would be. After that
`PROTOTYPES` is a plain dict: a lookup costs what it did when the table was generated code,
and nothing here touches a file again.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Final

DATA_FILE: Final = "confusables.tsv"
# The header lines the build writes (`# Unicode-Version: 18.0.0`) that this module exposes.
_HEADER_KEYS: Final = ("Unicode-Version", "Source-Date", "Source-SHA256")


def parse_table(text: str) -> tuple[dict[str, str], dict[int, str]]:
    """The header values and the table of the data file's `text`.

    Lines are `SOURCE<TAB>PROTOTYPE` in hexadecimal code points, the prototype's separated by
    spaces; lines starting with `#` are comments, some of them `# Key: value` headers.

    Raises:
        ValueError: a line that is neither, or a header missing: the package is broken.
    """
    header: dict[str, str] = {}
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            key, separator, value = line[1:].partition(":")
            if separator and key.strip() in _HEADER_KEYS:
                header[key.strip()] = value.strip()
            continue
        source, tab, prototype = line.partition("\t")
        if not tab or not prototype:
            raise ValueError(f"{DATA_FILE}: not a SOURCE<TAB>PROTOTYPE line: {line!r}")
        table[int(source, 16)] = "".join(chr(int(code, 16)) for code in prototype.split())
    missing = [key for key in _HEADER_KEYS if key not in header]
    if missing:
        raise ValueError(f"{DATA_FILE}: no {', '.join(missing)} in its header")
    return header, table


_HEADER, _TABLE = parse_table(files("causerie.core.policy").joinpath(DATA_FILE).read_text("utf-8"))

UNICODE_VERSION: Final = _HEADER["Unicode-Version"]
SOURCE_DATE: Final = _HEADER["Source-Date"]
SOURCE_SHA256: Final = _HEADER["Source-SHA256"]
PROTOTYPES: Final[dict[int, str]] = _TABLE
