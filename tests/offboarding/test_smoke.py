import datetime as dt

from tests.offboarding.conftest import NOTICE


def test_resignation_last_day_from_law(world, staff, start):
    ex = start(ground="art37")
    assert ex.last_day == NOTICE + dt.timedelta(days=30)
    assert ex.process is not None
    assert ex.items.count() >= 6
