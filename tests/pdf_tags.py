"""Reading a tagged PDF's structure back, for the tests of the print file: the elements
under the Document, and whether every piece of marked content and every annotation is
found again through the parent tree (what a screen reader does to go from the page to
the structure; the PDF/UA-1 check does not follow it). Shared by test_letter_outputs.py
and test_batch.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from briefgen.batch.run import COMBINED


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    """Every entry of the parent tree (a number tree: /Nums, or /Kids of such nodes)."""
    entries: dict[int, Any] = {}
    todo = [pdf.Root.StructTreeRoot.ParentTree]
    while todo:
        node = todo.pop()
        nums = node.get("/Nums", pikepdf.Array())
        entries.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
        todo += list(node.get("/Kids", pikepdf.Array()))
    return entries


def parts(path: Path) -> list[tuple[str, str, str]]:
    """(type, /Lang, /T) of each element under the document's one top element."""
    with pikepdf.open(path) as pdf:
        top = pdf.Root.StructTreeRoot.K
        top = top if isinstance(top, pikepdf.Array) else [top]
        assert [str(e.S) for e in top] == ["/Document"]
        return [(str(e.S), str(e.get("/Lang")), str(e.get("/T"))) for e in top[0].K]


def reading_order(path: Path, part: int | None = None) -> list[tuple[str, list[int]]]:
    """The elements below the document (or below its `part`-th Part) in the order a
    screen reader takes them: each one's type and the marked content it holds."""
    with pikepdf.open(path) as pdf:
        top = _kids(pdf.Root.StructTreeRoot)[0]
        if part is not None:
            top = _kids(top)[part]
        order: list[tuple[str, list[int]]] = []
        todo = list(reversed(_kids(top)))
        while todo:
            element = todo.pop()
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                kids = _kids(element)
                order.append((str(element.S), [k for k in kids if isinstance(k, int)]))
                todo += reversed(kids)
        return order


def _mcids(page: pikepdf.Page) -> list[int]:
    return [int(operands[1].MCID)
            for operands, _op in pikepdf.parse_content_stream(page, "BDC")
            if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]]


def _kids(element: Any) -> list[Any]:
    k = element.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def unresolved(path: Path) -> list[str]:
    """What the parent tree fails to lead back to: a page's marked content whose element
    is missing or on another page, an annotation whose element does not point to it."""
    problems = []
    with pikepdf.open(path) as pdf:
        tree = parent_tree(pdf)
        next_key = int(pdf.Root.StructTreeRoot.ParentTreeNextKey)
        for number, page in enumerate(pdf.pages, start=1):
            mcids = _mcids(page)
            if "/StructParents" not in page.obj:
                problems += [f"page {number}: marked content, no StructParents"] if mcids else []
                continue
            key = int(page.obj.StructParents)
            elements = tree.get(key)
            if elements is None or key >= next_key:
                problems.append(f"page {number}: StructParents {key} not in the parent tree")
                continue
            for mcid in mcids:
                element = elements[mcid]
                if element.Pg.objgen != page.objgen or mcid not in [
                        int(k) for k in _kids(element) if isinstance(k, int)]:
                    problems.append(f"page {number}: MCID {mcid} leads elsewhere")
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                link = tree.get(int(annot.get("/StructParent", -1)))
                objects = [k.Obj.objgen for k in _kids(link)
                           if isinstance(k, pikepdf.Dictionary) and "/Obj" in k] if link else []
                if annot.objgen not in objects:
                    problems.append(f"page {number}: annotation without its element")
    return problems


def is_empty(page: pikepdf.Page) -> bool:
    """A page that draws nothing (the blank pages the print file inserts)."""
    return not any(True for _ in pikepdf.parse_content_stream(page))


def assert_tagged_print_file(out: Path, stems: list[str]) -> None:
    """The print file passes PDF/UA-1; its structure is one Part per letter, in the
    order of the bookmarks, in each letter's language, holding that letter's tree as it
    was; the parent tree leads back from every page and link; the inserted pages draw
    nothing."""
    combined = out / COMBINED
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(combined), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
    reader = PdfReader(combined)
    langs = [str(PdfReader(out / f"{stem}.pdf").trailer["/Root"]["/Lang"]) for stem in stems]
    assert parts(combined) == [("/Part", lang, item.title)
                               for lang, item in zip(langs, reader.outline, strict=True)]
    assert unresolved(combined) == []
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    ends = starts[1:] + [len(reader.pages)]
    with pikepdf.open(combined) as pdf:
        for number, (stem, start, end) in enumerate(zip(stems, starts, ends, strict=True)):
            assert reading_order(combined, number) == reading_order(out / f"{stem}.pdf")
            own = PdfReader(out / f"{stem}.pdf").pages  # the letter's pages, then blank ones
            filled = [i for i in range(start, end) if not is_empty(pdf.pages[i])]
            assert [reader.pages[i].extract_text() for i in filled] == [
                p.extract_text() for p in own]
            assert not [i for i in range(start, end)
                        if i not in filled and "/StructParents" in pdf.pages[i].obj]
