"""Demo data (SPEC §13 "Demo data"): the court tree, the demo cast and a few dozen lived-in cases.

``manage.py loaddemo`` calls the steps below in order; each step is idempotent on its own:
courts are found by code, users by username, cases by their enforcement basis (unique per court
in the demo set). Cases are filed and advanced only through ``cases.services``, with event times
(``filed_at`` / ``occurred_at``) spread over the past months, so every guard, audit event and
lifecycle hook runs exactly as it would for a clerk or judge entering the acts.

``people`` (courts and users), ``parties`` (identities), ``scenarios`` (the case catalogue) and
``cases`` (filing and advancing them) are its parts; the names below are its public surface.
"""

from .cases import file_demo_case, load_cases
from .coordination import load_coordination
from .parties import credit_code, mobile, resident_id
from .people import Result, load_courts, load_users
from .scenarios import CASES, FINANCE, STAFF, DemoCase

__all__ = [
    "CASES", "FINANCE", "STAFF", "DemoCase", "Result", "credit_code", "file_demo_case", "load_cases",
    "load_coordination", "load_courts", "load_users", "mobile", "resident_id",
]
