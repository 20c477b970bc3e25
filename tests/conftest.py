"""Settings every test folder shares.

Hypothesis's per-example deadline (200 ms by default) measures the machine, not the code: on
a loaded CI runner or with every core running tests it failed property tests that pass alone.
Timing belongs in bench/, so property tests here have no deadline.
"""

from hypothesis import settings

settings.register_profile("causerie", deadline=None)
settings.load_profile("causerie")
