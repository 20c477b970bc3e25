"""Build Causerie's postal-code tables from the npm package ``codes-postaux``.

One-off converter, standard library only. It reads ``codes-postaux.json`` from the
package (https://www.npmjs.com/package/codes-postaux, built by the Base Adresse
Nationale from INSEE's Code officiel géographique and DGFiP's FIMOCT) and writes:

* ``postcodes.tsv``: one line per distinct 5-digit postal code,
  ``postcode<TAB>département code``, sorted by postal code;
* ``departements.tsv``: one line per département/collectivité code used in
  ``postcodes.tsv``, ``code<TAB>official name<TAB>region``, in INSEE order.

Usage (see src/causerie/geo/data/SOURCE.md)::

    cd "$(mktemp -d)" && npm pack codes-postaux@4.1.2 && tar xzf codes-postaux-4.1.2.tgz
    python3 /work/main/scripts/build_postcodes.py "$PWD/package"

The argument is the unpacked package directory or the ``codes-postaux.json`` file itself.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

OVERSEAS_REGION = "Outre-mer"

DEFAULT_OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "causerie" / "geo" / "data"

_POSTCODE_RE = re.compile(r"[0-9]{5}")
# INSEE commune code: 2-char département (01-95, 2A, 2B) + 3 digits, or 97x/98x + 2 digits.
_COMMUNE_RE = re.compile(r"(?:[0-9]{2}|2[AB])[0-9]{3}")

_ARA = "Auvergne-Rhône-Alpes"
_BFC = "Bourgogne-Franche-Comté"
_BRE = "Bretagne"
_CVL = "Centre-Val de Loire"
_COR = "Corse"
_GES = "Grand Est"
_HDF = "Hauts-de-France"
_IDF = "Île-de-France"
_NOR = "Normandie"
_NAQ = "Nouvelle-Aquitaine"
_OCC = "Occitanie"
_PDL = "Pays de la Loire"
_PAC = "Provence-Alpes-Côte d'Azur"
_OM = OVERSEAS_REGION

# Official names (INSEE Code officiel géographique) and regions since 2016.
# Only the codes actually present in the source data are written out.
# Monaco (98000) is not a French département: it is not in the source data, and would be
# excluded anyway (it is not in this table, so the build would fail loudly if it appeared).
DEPARTEMENTS: dict[str, tuple[str, str]] = {
    "01": ("Ain", _ARA),
    "02": ("Aisne", _HDF),
    "03": ("Allier", _ARA),
    "04": ("Alpes-de-Haute-Provence", _PAC),
    "05": ("Hautes-Alpes", _PAC),
    "06": ("Alpes-Maritimes", _PAC),
    "07": ("Ardèche", _ARA),
    "08": ("Ardennes", _GES),
    "09": ("Ariège", _OCC),
    "10": ("Aube", _GES),
    "11": ("Aude", _OCC),
    "12": ("Aveyron", _OCC),
    "13": ("Bouches-du-Rhône", _PAC),
    "14": ("Calvados", _NOR),
    "15": ("Cantal", _ARA),
    "16": ("Charente", _NAQ),
    "17": ("Charente-Maritime", _NAQ),
    "18": ("Cher", _CVL),
    "19": ("Corrèze", _NAQ),
    "2A": ("Corse-du-Sud", _COR),
    "2B": ("Haute-Corse", _COR),
    "21": ("Côte-d'Or", _BFC),
    "22": ("Côtes-d'Armor", _BRE),
    "23": ("Creuse", _NAQ),
    "24": ("Dordogne", _NAQ),
    "25": ("Doubs", _BFC),
    "26": ("Drôme", _ARA),
    "27": ("Eure", _NOR),
    "28": ("Eure-et-Loir", _CVL),
    "29": ("Finistère", _BRE),
    "30": ("Gard", _OCC),
    "31": ("Haute-Garonne", _OCC),
    "32": ("Gers", _OCC),
    "33": ("Gironde", _NAQ),
    "34": ("Hérault", _OCC),
    "35": ("Ille-et-Vilaine", _BRE),
    "36": ("Indre", _CVL),
    "37": ("Indre-et-Loire", _CVL),
    "38": ("Isère", _ARA),
    "39": ("Jura", _BFC),
    "40": ("Landes", _NAQ),
    "41": ("Loir-et-Cher", _CVL),
    "42": ("Loire", _ARA),
    "43": ("Haute-Loire", _ARA),
    "44": ("Loire-Atlantique", _PDL),
    "45": ("Loiret", _CVL),
    "46": ("Lot", _OCC),
    "47": ("Lot-et-Garonne", _NAQ),
    "48": ("Lozère", _OCC),
    "49": ("Maine-et-Loire", _PDL),
    "50": ("Manche", _NOR),
    "51": ("Marne", _GES),
    "52": ("Haute-Marne", _GES),
    "53": ("Mayenne", _PDL),
    "54": ("Meurthe-et-Moselle", _GES),
    "55": ("Meuse", _GES),
    "56": ("Morbihan", _BRE),
    "57": ("Moselle", _GES),
    "58": ("Nièvre", _BFC),
    "59": ("Nord", _HDF),
    "60": ("Oise", _HDF),
    "61": ("Orne", _NOR),
    "62": ("Pas-de-Calais", _HDF),
    "63": ("Puy-de-Dôme", _ARA),
    "64": ("Pyrénées-Atlantiques", _NAQ),
    "65": ("Hautes-Pyrénées", _OCC),
    "66": ("Pyrénées-Orientales", _OCC),
    "67": ("Bas-Rhin", _GES),
    "68": ("Haut-Rhin", _GES),
    "69": ("Rhône", _ARA),
    "70": ("Haute-Saône", _BFC),
    "71": ("Saône-et-Loire", _BFC),
    "72": ("Sarthe", _PDL),
    "73": ("Savoie", _ARA),
    "74": ("Haute-Savoie", _ARA),
    "75": ("Paris", _IDF),
    "76": ("Seine-Maritime", _NOR),
    "77": ("Seine-et-Marne", _IDF),
    "78": ("Yvelines", _IDF),
    "79": ("Deux-Sèvres", _NAQ),
    "80": ("Somme", _HDF),
    "81": ("Tarn", _OCC),
    "82": ("Tarn-et-Garonne", _OCC),
    "83": ("Var", _PAC),
    "84": ("Vaucluse", _PAC),
    "85": ("Vendée", _PDL),
    "86": ("Vienne", _NAQ),
    "87": ("Haute-Vienne", _NAQ),
    "88": ("Vosges", _GES),
    "89": ("Yonne", _BFC),
    "90": ("Territoire de Belfort", _BFC),
    "91": ("Essonne", _IDF),
    "92": ("Hauts-de-Seine", _IDF),
    "93": ("Seine-Saint-Denis", _IDF),
    "94": ("Val-de-Marne", _IDF),
    "95": ("Val-d'Oise", _IDF),
    # Départements et régions d'outre-mer.
    "971": ("Guadeloupe", _OM),
    "972": ("Martinique", _OM),
    "973": ("Guyane", _OM),
    "974": ("La Réunion", _OM),
    "976": ("Mayotte", _OM),
    # Collectivités d'outre-mer (written only if the source has them).
    "975": ("Saint-Pierre-et-Miquelon", _OM),
    "977": ("Saint-Barthélemy", _OM),
    "978": ("Saint-Martin", _OM),
    "986": ("Wallis-et-Futuna", _OM),
    "987": ("Polynésie française", _OM),
    "988": ("Nouvelle-Calédonie", _OM),
}


def departement_of_commune(commune_code: str) -> str:
    """Département code of an INSEE commune code: 2 chars, or 3 for 97x/98x (2A/2B kept)."""
    if not _COMMUNE_RE.fullmatch(commune_code):
        raise ValueError(f"not an INSEE commune code: {commune_code!r}")
    return commune_code[:3] if commune_code[:2] in ("97", "98") else commune_code[:2]


def insee_order(code: str) -> str:
    """Sort key putting 2A/2B between 19 and 21, as INSEE does."""
    return "20" + code[1] if code in ("2A", "2B") else code


def resolve_departements(entries: list[dict[str, str]]) -> dict[str, str]:
    """Map each postal code to one département code, from the communes it serves."""
    communes: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        postcode = entry["codePostal"]
        if not _POSTCODE_RE.fullmatch(postcode):
            raise ValueError(f"not a 5-digit postal code: {postcode!r}")
        communes[postcode].add(entry["codeCommune"])

    resolved: dict[str, str] = {}
    for postcode, codes in communes.items():
        counts = Counter(departement_of_commune(code) for code in codes)
        # A postal code can serve communes of several départements (about 30 cases, e.g.
        # 01590 serves Dortan (Ain) and Chancia, Lavancia-Epercy (Jura)). We keep the
        # département with the most distinct communes for that postal code; on a tie, the
        # smallest département code (plain string order: 75015 -> 75 over 92, 42620 -> 03
        # over 42). Hence 01590 -> 39: the first digits of a postal code do NOT give its
        # département, which is why it is always derived from the INSEE commune codes.
        resolved[postcode] = min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return resolved


def load_entries(source: Path) -> list[dict[str, str]]:
    path = source / "codes-postaux.json" if source.is_dir() else source
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path}: expected a non-empty JSON array")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="unpacked package dir or codes-postaux.json")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)

    resolved = resolve_departements(load_entries(args.source))
    used = set(resolved.values())
    unknown = sorted(used - DEPARTEMENTS.keys())
    if unknown:
        raise SystemExit(f"département codes without a name/region: {unknown}")

    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    postcodes_path = out_dir / "postcodes.tsv"
    departements_path = out_dir / "departements.tsv"
    postcodes_path.write_text(
        "".join(f"{postcode}\t{resolved[postcode]}\n" for postcode in sorted(resolved)),
        encoding="utf-8",
        newline="\n",
    )
    departements_path.write_text(
        "".join(
            f"{code}\t{DEPARTEMENTS[code][0]}\t{DEPARTEMENTS[code][1]}\n"
            for code in sorted(used, key=insee_order)
        ),
        encoding="utf-8",
        newline="\n",
    )
    sys.stderr.write(
        f"{postcodes_path}: {len(resolved)} postal codes, "
        f"{postcodes_path.stat().st_size} bytes\n"
        f"{departements_path}: {len(used)} départements, "
        f"{departements_path.stat().st_size} bytes\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
