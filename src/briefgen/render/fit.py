"""Fit-to-page: a one-page handout stays one page, or the build says why it cannot.

The template declares how to tighten (CSS classes fit-1 … fit-N on <body>, each
a little smaller in type and spacing, within limits its designer chose) and
which blocks may go (`optional:` in template.yaml, first dropped first). The
document is laid out after each step; the first layout that fits wins, and the
report says what was shrunk or dropped. If nothing fits, the build fails with
the overflow measured — never a silent second page.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..content.loader import LoadedContent
from ..errors import BriefgenError, Problem
from ..resources import ResourcePolicy
from .document import FitState, RenderedDocument, RenderOptions, render_document
from .paged import layout
from .templates import TemplateSpec


def _overflow_mm(doc: RenderedDocument) -> float:
    """How far the content runs past the first page, in millimetres."""
    pages = layout(doc).pages
    extra = 0.0
    for page in pages[1:]:
        box = page._page_box  # noqa: SLF001 - WeasyPrint exposes no public geometry
        root = box.children[0] if box.children else None
        if root is not None:
            extra += root.margin_height()
    return extra * 25.4 / 96  # CSS px → mm


def fit_to_page(loaded: LoadedContent, spec: TemplateSpec, options: RenderOptions,
                project_dir: Path, policy: ResourcePolicy) -> RenderedDocument:
    """The first layout that fits one page; its `report` says what that took."""
    state = FitState()
    steps: list[FitState] = [FitState(level) for level in range(1, spec.fit_levels + 1)]
    for i in range(1, len(spec.optional) + 1):
        steps.append(FitState(spec.fit_levels, tuple(spec.optional[:i])))
    doc = render_document(loaded, spec, replace(options, fit=state), project_dir, policy)
    for step in steps:
        if len(layout(doc).pages) <= 1:
            break
        state = step
        doc = render_document(loaded, spec, replace(options, fit=state), project_dir, policy)
    pages = len(layout(doc).pages)
    if pages > 1:
        mm = _overflow_mm(doc)
        page_mm = layout(doc).pages[0].height * 25.4 / 96
        raise BriefgenError([Problem(
            f"template '{spec.name}'", None, None,
            f"does not fit on one page: it runs over by about {mm:.0f} mm "
            f"({mm / page_mm:.0%} of a page) even with the tightest layout and without "
            f"{', '.join(spec.optional) or 'any optional block'}; shorten the content "
            f"(fewer cases or asks, shorter summary)")])
    report = []
    if state.level:
        report.append(f"{spec.name}: tightened type and spacing to step {state.level} of "
                      f"{spec.fit_levels} to fit one page")
    if state.dropped:
        report.append(f"{spec.name}: left out {', '.join(state.dropped)} to fit one page")
    return replace(doc, report=tuple(report))
