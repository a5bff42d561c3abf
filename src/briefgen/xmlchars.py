"""Characters that XML 1.0 cannot hold, and so neither Word files nor PDF metadata.

Content pasted from other programs brings them in (a vertical tab from Word, a
NUL from a PDF copy); the loaders remove them with a located warning and the
Word writer removes any a template adds. One definition keeps the two in step.
Tab, newline and carriage return are allowed; DEL is legal XML but invisible
and unprintable, so it goes too.
"""

from __future__ import annotations

import re

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)
