"""The build's clock: SOURCE_DATE_EPOCH when it is set, so that builds are reproducible.

Two outputs carry a date nobody wrote in the content: a letter printed "today"
and a Word file's creation time. Both read the clock here, so one environment
variable makes every output byte-identical from run to run (the convention of
reproducible-builds.org, which Debian and most packagers set).
"""

from __future__ import annotations

import datetime as dt
import os


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a naive UTC time, or None when it is unset or not a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)


def today() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day."""
    fixed = source_date_epoch()
    return fixed.date() if fixed is not None else dt.date.today()
