"""The join-form profile as IRC clients give it: "age gender postcode [lang]".

It comes in the realname (`USER x 0 * :25 f 75011`) or in `PROFILE 25 f 75011`, and is read by
`core/written_profile.py`; this module adds the help the listener sends when it is missing. The
node checks the values (minimum age, postcode that exists) exactly as for a web visitor, and its
refusal is shown to the person.
"""

from __future__ import annotations

from causerie.core.written_profile import GENDERS, LANGS, parse_profile
from causerie.core.written_profile import WrittenProfile as Profile

# The parser is the core's (config checks `irc_default_profile` with it too, and config stands
# below the adapters); the listener's modules and tests know it by these names.
__all__ = ["GENDERS", "LANGS", "PROFILE_HELP", "Profile", "parse_profile"]

PROFILE_HELP = (
    "Pour discuter, donnez votre profil : /quote PROFILE <âge> <genre> <code postal> "
    "(ex. /quote PROFILE 25 f 75011 ; genre : h, f, autre ou x), "
    "ou mettez-le dans votre « realname » (ex. 25 f 75011).",
    "To chat, give your profile: /quote PROFILE <age> <gender> <postcode> "
    "(e.g. /quote PROFILE 25 f 75011; gender: m, f, other or x), "
    "or put it in your realname (e.g. 25 f 75011).",
    "Le code postal n'est jamais montré : les autres voient seulement le département. "
    "/ Your postcode is never shown: others only see the département.",
)
