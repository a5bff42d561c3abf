"""The example's French translation (issue 16, item 6): there, current, and honest.

Whoever edits an English text of the example must bring its French up to date
(and run `briefgen translated`): these tests fail otherwise, as a translator's
review would. The French brief prints no English but what is kept on purpose
(the declaration's title and quotes: no source gives the official French text),
and says it is an unofficial translation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build import BuildRequest, build, check

from .conftest import REPO

# the cases the declaration itself names: their French is part of the example
NAMED_CASES = ("01-protesters", "02-saniya-toiken", "03-svetlana-glushkova",
               "04-serikzhan-bilash")


def test_the_example_translates_the_summary_the_asks_and_the_named_cases() -> None:
    content = REPO / "content"
    assert (content / "brief.fr.yaml").is_file()
    for name in NAMED_CASES:
        assert (content / "cases" / f"{name}.fr.md").is_file(), name


def test_the_example_french_is_current_with_the_english(example_root: Path) -> None:
    warnings = check(example_root, lang="fr").warnings
    stale = [str(w) for w in warnings if "changed since" in w.message
             or "not yet checked" in w.message]
    assert not stale, "update the French, then run 'briefgen translated FILE':\n" + \
        "\n".join(stale)


@pytest.fixture(scope="module")
def french_brief(tmp_path_factory: pytest.TempPathFactory, example_root: Path
                 ) -> dict[str, object]:
    out = tmp_path_factory.mktemp("brief-fr")
    result = build(BuildRequest(example_root, lang="fr", out_dir=out,
                                formats=["pdf", "html"]))
    files = {p.suffix: p for p in result.outputs}
    return {"result": result, "pdf": files[".pdf"], "html": files[".html"]}


def test_the_french_brief_prints_nothing_untranslated(french_brief: dict) -> None:
    untranslated = [str(w) for w in french_brief["result"].warnings  # type: ignore[attr-defined]
                    if "not translated" in w.message]
    assert not untranslated, "\n".join(untranslated)


def test_the_french_brief_is_in_french_and_says_it_is_unofficial(french_brief: dict) -> None:
    text = "\n".join(p.extract_text() or "" for p in PdfReader(french_brief["pdf"]).pages)
    assert "Résumé" in text and "Ce qu’un parlementaire peut faire" in text
    assert "traduction des auteurs de la note, non officielle" in re.sub(r"\s+", " ", text)
    # the facts are the original's: names and dates as the sources give them
    for name in ("Saniya Toiken", "Svetlana Glushkova", "Serikzhan Bilash",
                 "André Gattolin"):
        assert name in text
    assert "11 avril 2019" in text


def test_the_declaration_title_stays_english_and_is_marked(french_brief: dict) -> None:
    html = Path(str(french_brief["html"])).read_text("utf-8")
    title = re.search(r'<span lang="en">[^<]*Magnitsky laws[^<]*</span>', html)
    assert title is not None
