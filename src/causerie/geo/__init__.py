"""French geography for Causerie: postal code -> département and region.

Backed by data shipped in ``causerie/geo/data`` (see ``data/SOURCE.md``).
"""

from causerie.geo.directory import (
    OVERSEAS_REGION,
    Location,
    PostcodeDataError,
    PostcodeDirectory,
    load_directory,
    parse_directory,
)

__all__ = [
    "OVERSEAS_REGION",
    "Location",
    "PostcodeDataError",
    "PostcodeDirectory",
    "load_directory",
    "parse_directory",
]
