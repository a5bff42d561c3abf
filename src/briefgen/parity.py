"""Do the PDF and the Word file carry the same brief? Read both back and compare.

Both outputs come from one rendered HTML document, but each writer can still
drop or garble something: this check reads the finished files the way their
readers' tools do (pypdf; python-docx) and compares what a reader relies on —
the heading sequence, the case names, the source notes, table cells and link
targets. `briefgen check --parity` runs it; the tests require zero differences.

What counts is what both formats were meant to show: the case names the rendered
HTML shows (a dossier leaves out cases linked to no target), not every case of the
content, so a case both leave out is not a difference while one that either drops is.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from .content.model import Content
from .render import contract

if TYPE_CHECKING:
    from .pipeline import Pipeline

_SPACE = re.compile(r"\s+")
# and the invisible marks of where a printed address may break or not (render/urls.py)
_SQUASHED = re.compile(r"[\s\u200b\u2060]+")
_UNSEEN = str.maketrans("", "", "\u200b\u2060")


def _seen(text: str) -> str:
    """Word's text as a reader reads it: without the marks of where a line may break
    inside an address, which the PDF's text leaves out."""
    return text.translate(_UNSEEN)


def _squash(text: str) -> str:
    """Whitespace-free: line breaks and wrapping differ between PDF and Word layouts,
    and the invisible marks of where a line may break (U+200B, U+2060), which
    the PDF's text leaves out and Word's keeps."""
    return _SQUASHED.sub("", text)


@dataclass
class Extract:
    headings: list[tuple[int, str]] = field(default_factory=list)
    text: str = ""
    notes: list[str] = field(default_factory=list)  # the PDF: the note each call links to
    note_texts: list[str] = field(default_factory=list)  # Word: each footnote's text
    # Word: each footnote's sources, as (the bookmark its part links to, the part's text)
    note_parts: list[list[tuple[str | None, str]]] = field(default_factory=list)
    table_cells: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)
    pages_text: list[str] = field(default_factory=list)
    note_pages: dict[str, int] = field(default_factory=dict)


def read_pdf(data: bytes) -> Extract:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    out = Extract()

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.headings.append((level, _SPACE.sub(" ", item.title).strip()))

    walk(reader.outline, 1)
    out.pages_text = [page.extract_text() for page in reader.pages]
    out.text = "\n".join(out.pages_text)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if isinstance(dest, str) and dest.startswith(contract.NOTE_ID_PREFIX):
                out.notes.append(dest)
            elif action is not None and "/URI" in action:
                out.links.add(str(action["/URI"]))
    for name, dest in reader.named_destinations.items():
        if name.startswith(contract.NOTE_ID_PREFIX):
            number = reader.get_destination_page_number(dest)
            if number is not None:
                out.note_pages[name] = number
    return out


HEADING_LEVELS = contract.heading_levels()


def read_docx(data: bytes) -> Extract:
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    from .writers.docx.oxml import footnotes_part

    document = Document(io.BytesIO(data))
    out = Extract()
    texts: list[str] = []
    _read_blocks(document, out, texts)
    out.text = "\n".join(texts)
    notes = footnotes_part(document)
    for note in notes.element.findall(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            continue
        out.note_texts.append(_seen("".join(t.text or "" for t in note.iter(qn("w:t")))).strip())
        out.note_parts.append(_footnote_parts(note))
    for part in (document.part, notes):
        for rel in part.rels.values():
            if rel.reltype == RT.HYPERLINK and rel.is_external:
                out.links.add(rel.target_ref)
    return out


def _read_blocks(container: Any, out: Extract, texts: list[str]) -> None:
    """Paragraphs and tables in the order they come; the cells of a layout table (blocks
    side by side, contract.LAYOUT_TABLE) are read as the text they hold, not as data."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if not isinstance(block, Table):
            texts.append(_seen(block.text))
            level = HEADING_LEVELS.get(block.style.name if block.style else "")
            if level and block.text.strip():
                out.headings.append((level, _SPACE.sub(" ", _seen(block.text)).strip()))
            continue
        layout = block.style is not None and block.style.name == contract.LAYOUT_TABLE
        for row in block.rows:
            for cell in row.cells:
                if layout:
                    _read_blocks(cell, out, texts)
                else:
                    out.table_cells.append(_seen(cell.text))
                    texts.append(_seen(cell.text))


def _footnote_parts(note: Any) -> list[tuple[str | None, str]]:
    """A footnote's sources: each begins with a link to its note in the list of sources
    (the writer links every part: full reference, short form or "Ibid.")."""
    from docx.oxml.ns import qn

    parts: list[tuple[str | None, list[str]]] = []
    for element in note.iter(qn("w:t"), qn("w:hyperlink")):
        anchor = element.get(qn("w:anchor")) if element.tag == qn("w:hyperlink") else None
        if anchor is not None:
            parts.append((anchor, []))
        elif element.tag == qn("w:t"):
            if not parts:
                parts.append((None, []))
            parts[-1][1].append(element.text or "")
    found = [(anchor, _seen("".join(texts)).strip().removesuffix(";").strip())
             for anchor, texts in parts]
    return [(anchor, text) for anchor, text in found if anchor or text]  # not the space


@dataclass
class ParityReport:
    differences: list[str]
    counts: dict[str, int]

    def summary(self) -> str:
        counted = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        if not self.differences:
            return f"Parity: PDF and Word carry the same brief ({counted}); 0 differences."
        lines = [f"Parity: {len(self.differences)} difference(s) ({counted}):"]
        lines += [f"  - {d}" for d in self.differences]
        return "\n".join(lines)


def shown_text(html: str) -> str:
    """The text a reader of the rendered HTML sees: its body, without scripts, styles
    or hidden elements."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    if body is None:
        return ""
    for element in body.xpath(".//script | .//style | .//template | .//*[@hidden]"):
        element.drop_tree()
    return str(body.text_content())


def compare(pdf: Extract, word: Extract, content: Content,
            html: str | None = None) -> ParityReport:
    """The differences between what the PDF and the Word file carry. A case counts only
    if the rendered HTML, which both were written from, shows it: a template may leave a
    case out (the dossier shows only the cases linked to a target), and both formats
    leaving it out is no difference. Without `html`, every case is expected."""
    differences = _headings(pdf, word)
    pdf_text, word_text = _squash(pdf.text), _squash(word.text)
    meant = _squash(shown_text(html)) if html is not None else None
    cases = [case.name for case in content.cases
             if meant is None or _squash(case.name) in meant]
    differences += [f"case '{name}' missing from the {label} text" for name in cases
                    for label, text in (("PDF", pdf_text), ("Word", word_text))
                    if _squash(name) not in text]

    differences += _citations(pdf, word, _repeats(html) if html is not None else None)

    for cell in word.table_cells:
        squashed = _squash(cell)
        if squashed and squashed not in pdf_text and \
                _strip_marks(squashed) not in _strip_marks(pdf_text):
            differences.append(f"table cell {cell[:60]!r} not in the PDF")

    for url in sorted(pdf.links - word.links):
        differences.append(f"link {url} in the PDF only")
    for url in sorted(word.links - pdf.links):
        differences.append(f"link {url} in Word only")

    counts = {"headings": len(word.headings), "footnotes": len(word.note_texts),
              "table cells": len(word.table_cells), "links": len(word.links),
              "cases": len(cases)}
    return ParityReport(differences, counts)


def _citations(pdf: Extract, word: Extract, repeats: dict[str, set[str]] | None
               ) -> list[str]:
    """Every note call of the PDF is a source of a Word footnote, in the same order
    (a footnote may name several: one citation group is one footnote). A source's
    first citation must carry the PDF's note text; a later one may be the short form
    or "Ibid." the rendered HTML gives for it (`repeats`; without it, any text)."""
    from .writers.docx.oxml import bookmark_name

    cited = [(i, anchor, text) for i, parts in enumerate(word.note_parts, start=1)
             for anchor, text in parts]
    differences = []
    if len(pdf.notes) != len(cited):
        differences.append(f"{len(pdf.notes)} note calls in the PDF, {len(cited)} sources "
                           f"cited in {len(word.note_parts)} Word footnotes")
    matcher = SequenceMatcher(None, [bookmark_name(t) for t in pdf.notes],
                              [anchor for _, anchor, _ in cited], autojunk=False)
    seen: set[str] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            differences += _unmatched(pdf.notes[i1:i2], cited, j1, j2)
            continue
        for target, (i, _, text) in zip(pdf.notes[i1:i2], cited[j1:j2], strict=True):
            again = target in seen
            seen.add(target)
            if not _note_text_shown(pdf, target, text, repeats if again else {}):
                differences.append(f"footnote {i} ({text[:60]!r}) is not the PDF's "
                                   f"{target} text")
    return differences


def _unmatched(targets: list[str], cited: list[tuple[int, str | None, str]], j1: int,
               j2: int) -> list[str]:
    """Note calls of the PDF that no footnote cites there, and footnote sources that
    no note call of the PDF matches."""
    where = f"before footnote {cited[j1][0]}" if j1 < len(cited) else "after the last footnote"
    return [f"the PDF's call of {target} is not cited in Word ({where})" for target in targets
            ] + [f"footnote {i} ({text[:60]!r}) cites a source the PDF does not call there"
                 for i, _, text in cited[j1:j2]]


def _note_text_shown(pdf: Extract, target: str, text: str,
                     repeats: dict[str, set[str]] | None) -> bool:
    """The footnote text is the PDF's note (near the page the note is on), or, for a
    source cited before, what the HTML says a repeat shows (None: anything)."""
    shown = _squash(text).rstrip(".")
    if repeats is None or shown in repeats.get(target, set()):
        return True
    page = pdf.note_pages.get(target)
    where = "".join(pdf.pages_text[page:page + 2]) if page is not None else pdf.text
    return bool(shown) and shown in _squash(where)


def _repeats(html: str) -> dict[str, set[str]]:
    """What a Word footnote may say for a source cited again, by note id: the short
    form inside the note (contract.NOTE_SHORT) and the list's "Ibid." label."""
    from lxml import html as lxml_html

    repeats: dict[str, set[str]] = {}
    for li in lxml_html.document_fromstring(html).iter("li"):
        note_id = li.get("id") or ""
        if note_id.startswith(contract.NOTE_ID_PREFIX):
            forms = {_squash(s.text_content()).rstrip(".")
                     for s in li.find_class(contract.NOTE_SHORT)}
            label = li.getparent().get(contract.NOTE_IBID) if li.getparent() is not None \
                else None
            repeats[note_id] = forms | ({_squash(label).rstrip(".")} if label else set())
    return repeats


def _headings(pdf: Extract, word: Extract) -> list[str]:
    """The first place where the two heading sequences part, if they do."""
    for i in range(max(len(pdf.headings), len(word.headings))):
        a = pdf.headings[i] if i < len(pdf.headings) else None
        b = word.headings[i] if i < len(word.headings) else None
        if a != b:
            return [f"heading {i + 1}: PDF has {a}, Word has {b}"]
    return []


def _strip_marks(text: str) -> str:
    """Without digits and commas: the PDF prints note numbers inline, Word does not."""
    return re.sub(r"[\d,]", "", text)


def parity_report(session: Pipeline, template: str | None = None,
                  lang: str | None = None) -> ParityReport:
    """Render the project once (in `lang`, else its own language), write PDF and Word
    in memory, and compare them."""
    spec = session.template(template)
    doc = session.render(spec, session.options(lang=lang))
    return compare(read_pdf(session.write("pdf", doc)), read_docx(session.write("docx", doc)),
                   session.loaded.in_language(doc.lang).content, doc.html)
