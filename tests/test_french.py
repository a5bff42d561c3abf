"""French output: dates as French writes them (the first of a month, no-break spaces),
from the catalog.
"""

from __future__ import annotations

from briefgen.content.model import PartialDate
from briefgen.i18n import format_partial_date, format_period

NBSP = "\u00a0"   # no-break space: inside a date


# --- dates ---------------------------------------------------------------------------------

def test_french_dates_write_1er_and_never_break():
    assert format_partial_date(PartialDate(2026, 12, 1), "fr") == f"1er{NBSP}décembre{NBSP}2026"
    assert format_partial_date(PartialDate(2019, 4, 11), "fr") == f"11{NBSP}avril{NBSP}2019"
    assert format_partial_date(PartialDate(2019, 3), "fr") == f"mars{NBSP}2019"
    assert format_partial_date(PartialDate(2019), "fr") == "2019"
    # a period: each date kept whole, the range as the catalog writes it
    assert format_period(PartialDate(2019, 2), PartialDate(2019, 3), "fr") == \
        f"février{NBSP}2019 – mars{NBSP}2019"


def test_english_dates_are_unchanged():
    assert format_partial_date(PartialDate(2026, 12, 1), "en") == "1 December 2026"
    assert format_partial_date(PartialDate(2019, 4, 11), "en") == "11 April 2019"
    assert format_partial_date(PartialDate(2019, 3), "en") == "March 2019"
