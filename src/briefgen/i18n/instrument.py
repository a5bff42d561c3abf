"""The words a brief uses for its instrument, in the output language.

The brief's section is "The resolution", "La résolution" or "Le projet de loi"
according to what the instrument is, and its status agrees with the noun
("adoptée", "adopté"): the kind's words and gender are in the label catalogs,
and a project may refine them in the instrument's file (`kind_name`, `heading`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Declaration, LocalText
from . import Labels, UnknownLabel, labels


def pick(text: LocalText | None, lang: str) -> str | None:
    """A text written once (the brief's language) or per language, in `lang`."""
    if text is None or isinstance(text, str):
        return text
    return text.get(lang) or next(iter(text.values()), None)


def _agreeing(t: Labels, key: str, gender: str | None) -> str:
    if gender:
        try:
            return t(f"{key}.{gender}")
        except UnknownLabel:
            pass
    return t(key)


@dataclass(frozen=True)
class InstrumentWords:
    heading: str  # "The resolution"
    kind: str  # "Resolution", or the project's own "Urgency resolution"
    tabled_by: str  # "Tabled by", "Sponsored by"
    status: str | None  # "adopted", "adoptée"
    vote: str | None  # "447 in favour, 70 against, 11 abstentions"


def instrument_words(decl: Declaration, lang: str) -> InstrumentWords:
    t = labels(lang)
    base = f"instrument_kinds.{decl.kind}"
    try:
        gender: str | None = t(f"{base}.gender")
    except UnknownLabel:
        gender = None
    status = _agreeing(t, f"instrument_status.{decl.status}", gender) if decl.status else None
    vote = None
    if decl.vote is not None:
        figures = [t(key, count=n) for key, n in (
            ("vote_for", decl.vote.in_favour), ("vote_against", decl.vote.against),
            ("vote_abstentions", decl.vote.abstentions)) if n is not None]
        vote = ", ".join(figures + ([decl.vote.note] if decl.vote.note else [])) or None
    return InstrumentWords(
        heading=pick(decl.heading, lang) or t(f"{base}.heading"),
        kind=pick(decl.kind_name, lang) or t(f"{base}.name"),
        tabled_by=t(f"{base}.tabled_by"),
        status=status,
        vote=vote,
    )
