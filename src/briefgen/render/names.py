"""A case's name as the document's language writes it (`other_names`).

A Russian reader looks for "Серикжан Билаш", not for a transliteration, so a document
in a language the case has a form for prints that form wherever the name appears; its
heading keeps the original beside it ("Серикжан Билаш (Serikzhan Bilash)") so that the
reader can match it to the other documents, which use the original. A document in
another language lists the other forms among the case's facts, each marked with its
language: a screen reader then reads "Серикжан Билаш" in a Russian voice, and the
PDF hyphenates it by Russian rules. The logic is here once; every template calls it
(`case | case_name`, `case | case_name(original=True)`, `case | also_written`).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..content.model import Case
from ..i18n.typography import typographic

NO_BREAK_SPACE = "\u00a0"


@dataclass(frozen=True)
class CaseNames:
    """The name filters of one document."""

    lang: str  # the document's language
    name_lang: str  # the language the content (and so each case's `name`) is written in

    def local_form(self, case: Case) -> str | None:
        """The case's name in the document's language, if it has one of its own."""
        form = case.other_names.get(self.lang)
        return form if form and form != case.name else None

    def name(self, case: Case, original: bool = False) -> str | Markup:
        """The name to print: the document language's form if the case has one, with
        the original after it in brackets when `original` (a heading). The original
        is held together by no-break spaces: a bracket split across lines reads as
        two names. Without a form of its own the name is plain text, which the
        template's finalize sets in the content's typography like any other field."""
        form = self.local_form(case)
        if form is None:
            return case.name
        shown = Markup.escape(typographic(form, self.lang))
        if not original:
            return shown
        latin = typographic(case.name, self.name_lang).replace(" ", NO_BREAK_SPACE)
        return shown + Markup(" (") + self._marked(latin, self.name_lang) + Markup(")")

    def also_written(self, case: Case) -> Markup:
        """The case's other forms, each in a span naming its language; none of them
        is the document's own language (that one is the printed name). Empty when
        there are none, so that a template can leave the line out."""
        forms = [self._marked(typographic(name, code), code)
                 for code, name in case.other_names.items()
                 if code != self.lang and name != case.name]
        return Markup(", ").join(forms)

    def _marked(self, text: str, lang: str) -> Markup:
        if lang == self.lang:
            return Markup.escape(text)
        return Markup('<span lang="{}">{}</span>').format(lang, text)
