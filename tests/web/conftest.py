import pytest

from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed


@pytest.fixture
def rules(courts):
    """The national calendar (re-seeded: a transactional test may have flushed it) and the three rule sets."""
    calendar_seed_national()
    rulesets_seed()
    return courts
