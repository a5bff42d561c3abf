"""Political groups of the Assembly, and the earlier names older documents use.

A recipients file, a declaration's list of signatories and a letter all name
groups, written by different people in different years ("EC" in 2019 is
today's "EC/DA"); comparing them needs one normal form.
"""

from __future__ import annotations

GROUPS = ("EPP/CD", "SOC", "ALDE", "UEL", "EC/DA", "NR")
# Earlier names of the same groups, as older documents (the 2019 declaration) write them.
GROUP_ALIASES = {"EC": "EC/DA", "EPP": "EPP/CD", "NI": "NR"}


def group_code(text: str) -> str:
    """'ec', ' EPP/CD ' → today's code ('EC/DA', 'EPP/CD'); unknown text as upper case."""
    code = "".join(text.split()).upper()
    return GROUP_ALIASES.get(code, code)
