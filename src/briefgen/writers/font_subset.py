"""A font cut down to the characters a document shows (fontTools), for the writers
that embed fonts: the web page (writers/webfonts.py) and the Word file
(writers/docx/fonts.py). One routine, so both keep what the licence asks (every
name record: copyright, licence and its URL) and give the same bytes for the same
text; each writer adds only what its reader needs (a WOFF2 flavour for browsers,
legacy names for Word)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any


def subset_font(data: bytes, characters: Iterable[str], *, flavor: str | None = None,
                extra_features: Iterable[str] = (), **settings: Any) -> bytes:
    """`data` with only the glyphs `characters` need (and those its shaping features
    reach from them); `settings` are further fontTools subset options."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = [*options.layout_features, *extra_features]
    options.name_IDs = ["*"]  # copyright, licence and its URL, trademark, designer
    options.name_languages = ["*"]
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    options.recalc_timestamp = False  # the same bytes for the same text
    for name, value in settings.items():
        setattr(options, name, value)
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)))
    subsetter.subset(font)
    if flavor:
        font.flavor = flavor  # the Subsetter's own `flavor` option is only pyftsubset's
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
