"""One structure tree for PDFs whose pages are joined into one file.

qpdf (and so pikepdf) copies pages with their marked content but leaves the
structure tree behind: the joined file is untagged, and a screen reader or a
PDF/UA checker finds no logical order, no language per letter, no link elements.
This module carries the trees across, as each source's pages are copied:

- each source's top element becomes one Part of a new Document (a letter's own
  Document element is re-typed Part), with the source's language (/Lang) and a
  title (/T, the bookmark's text), so letters in different languages stay right;
- the keys of the parent tree (a page's /StructParents, an annotation's or a form
  XObject's /StructParent) are shifted by the keys the earlier sources used, and
  one parent tree (a number tree of small leaves) is rebuilt from all of them;
- /RoleMap, /ClassMap and /IDTree are merged; a clash is renamed in the elements
  of the source that brings it.

The element objects are copied with `Pdf.copy_foreign`, which maps every object it
has copied from a source before (the pages, their annotations): the elements' /Pg
and the link elements' /OBJR land on the pages and annotations already copied.
Sources must stay open until the joined file is saved (as for the pages).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

LEAF = 64  # entries per leaf of a rebuilt number or name tree


class StructureMerge:
    """Collects the structure trees of the sources whose pages were copied into `out`."""

    def __init__(self, out: Any) -> None:
        import pikepdf

        self.out = out
        self.document = out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document))
        self.kids: list[Any] = []
        self.nums: list[tuple[int, Any]] = []  # parent tree: key → element(s)
        self.next_key = 0
        self.maps: dict[str, dict[str, Any]] = {"/RoleMap": {}, "/ClassMap": {}}
        self.ids: dict[bytes, Any] = {}

    def add(self, source: Any, title: str | None = None) -> None:
        """Adopt the tree of `source`, every page of which was copied into `out` already.
        With a `title`, the source becomes one Part (a letter); without, the Parts of a
        file this class made are taken as they are (a chunk of letters)."""
        root = source.Root.get("/StructTreeRoot")
        if root is None:  # untagged: its pages stay as they are
            return
        tree = self.out.copy_foreign(root)
        pages = [self.out.copy_foreign(page.obj) for page in source.pages]  # the copies
        offset = self.next_key
        _shift_keys(pages, offset)
        entries = list(_number_tree(tree.get("/ParentTree")))
        self.nums += [(key + offset, value) for key, value in entries]
        used = max((key + 1 for key, _ in entries), default=0)
        self.next_key = offset + max(int(tree.get("/ParentTreeNextKey", 0)), used)
        top = _kids(tree.get("/K"))
        self._merge_maps(tree, top)
        self._merge_ids(tree)
        if title is None:
            top = [kid for el in top for kid in (_kids(el.get("/K")) if _is(el, "/Document")
                                                 else [el])]
        else:
            top = [self._part(top, title, source.Root.get("/Lang"))]
        for element in top:
            element.P = self.document
        self.kids += top

    def finish(self) -> bool:
        """Write the merged tree into `out`'s catalog; False if no source was tagged."""
        import pikepdf

        if not self.kids:
            return False
        root = self.out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([self.document]),
            ParentTree=_build_tree(self.out, "/Nums", sorted(self.nums, key=lambda e: e[0])),
            ParentTreeNextKey=self.next_key))
        self.document.P = root
        self.document.K = pikepdf.Array(self.kids)
        for key, entries in self.maps.items():
            if entries:
                root[key] = pikepdf.Dictionary(entries)
        if self.ids:
            root.IDTree = _build_tree(self.out, "/Names",
                                      [(pikepdf.String(k), v) for k, v in sorted(self.ids.items())])
        self.out.Root.StructTreeRoot = root
        self.out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        return True

    def _part(self, top: list[Any], title: str, lang: Any) -> Any:
        """The source as one Part: its Document element re-typed, or a new Part around
        its top elements."""
        import pikepdf

        if len(top) == 1 and _is(top[0], "/Document"):
            part = top[0]
            part.S = pikepdf.Name.Part
        else:
            part = self.out.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.Part, K=pikepdf.Array(top)))
            for element in top:
                element.P = part
        part.T = pikepdf.String(title)
        if lang is not None and "/Lang" not in part:
            part.Lang = lang
        return part

    def _merge_maps(self, tree: Any, top: list[Any]) -> None:
        """RoleMap and ClassMap entries; a name another source already maps differently
        is renamed in this source's elements (their /S, or /C for a class)."""
        import pikepdf

        for key, field in (("/RoleMap", "/S"), ("/ClassMap", "/C")):
            merged, renamed = self.maps[key], {}
            for name, value in (tree.get(key) or {}).items():
                new = name
                while new in merged and merged[new].unparse(True) != value.unparse(True):
                    new = f"{new}_"
                merged[new] = value
                if new != name:
                    renamed[name] = pikepdf.Name(new)
            if renamed:
                _rename(top, field, renamed)

    def _merge_ids(self, tree: Any) -> None:
        """Element IDs, unique across the file: a clash gets a suffix, in the tree and
        in the element."""
        import pikepdf

        for key, element in _name_tree(tree.get("/IDTree")):
            new, n = key, 1
            while new in self.ids:
                n += 1
                new = key + b"-%d" % n
            if new != key:
                element.ID = pikepdf.String(new)
            self.ids[new] = element


def _shift_keys(pages: list[Any], offset: int) -> None:
    """Move the parent-tree keys of pages, annotations and form XObjects by `offset`."""
    if not offset:
        return
    seen: set[tuple[int, int]] = set()
    for page in pages:
        owners = [page, *page.get("/Annots", [])]
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        owners += [xobjects[name] for name in xobjects.keys()]
        for owner in owners:
            if owner.is_indirect:
                if owner.objgen in seen:
                    continue
                seen.add(owner.objgen)
            for key in ("/StructParents", "/StructParent"):
                if key in owner:
                    owner[key] = int(owner[key]) + offset


def _is(element: Any, kind: str) -> bool:
    return hasattr(element, "get") and str(element.get("/S", "")) == kind


def _kids(k: Any) -> list[Any]:
    """An element's /K as a list (a single kid is allowed bare)."""
    import pikepdf

    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    for key, value in _tree(node, "/Nums", set()):
        yield int(key), value


def _name_tree(node: Any) -> Iterator[tuple[bytes, Any]]:
    for key, value in _tree(node, "/Names", set()):
        yield bytes(key), value


def _tree(node: Any, leaf: str, seen: set[tuple[int, int]]) -> Iterator[tuple[Any, Any]]:
    """The entries of a number or name tree, its /Kids form too (a loop is read once)."""
    if node is None or not hasattr(node, "get"):
        return
    if node.is_indirect:
        if node.objgen in seen:
            return
        seen.add(node.objgen)
    pairs = node.get(leaf)
    if pairs is not None:
        for i in range(0, len(pairs) - 1, 2):
            yield pairs[i], pairs[i + 1]
    for kid in node.get("/Kids", []):
        yield from _tree(kid, leaf, seen)


def _build_tree(pdf: Any, leaf: str, entries: list[tuple[Any, Any]]) -> Any:
    """A number or name tree of sorted `entries`: one node, or a root over leaves of
    LEAF entries each (one array of thousands of entries is past what some readers
    take)."""
    import pikepdf

    def flat(part: list[tuple[Any, Any]]) -> Any:
        return pikepdf.Array([x for pair in part for x in pair])

    if len(entries) <= LEAF:
        return pdf.make_indirect(pikepdf.Dictionary({leaf: flat(entries)}))
    leaves = [pdf.make_indirect(pikepdf.Dictionary({
        leaf: flat(part), "/Limits": pikepdf.Array([part[0][0], part[-1][0]])}))
        for part in (entries[i:i + LEAF] for i in range(0, len(entries), LEAF))]
    return pdf.make_indirect(pikepdf.Dictionary(Kids=pikepdf.Array(leaves)))


def _rename(top: list[Any], field: str, renamed: dict[str, Any]) -> None:
    """Rename role (/S) or class (/C, a name or an array of names) in every element."""
    import pikepdf

    todo, seen = list(top), set()
    while todo:
        element = todo.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.objgen in seen:
            continue
        if element.is_indirect:
            seen.add(element.objgen)
        value = element.get(field)
        if isinstance(value, pikepdf.Array):
            element[field] = pikepdf.Array([renamed.get(str(v), v) for v in value])
        elif value is not None and str(value) in renamed:
            element[field] = renamed[str(value)]
        todo += _kids(element.get("/K"))
