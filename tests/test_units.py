"""Small pieces whose behaviour the whole pipeline relies on."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from briefgen.build import output_stem
from briefgen.content.model import PartialDate, Source
from briefgen.content.source_file import load_yaml_file
from briefgen.errors import BriefgenError
from briefgen.i18n import format_partial_date, format_period, labels
from briefgen.output import atomic_write
from briefgen.render.markdown import MarkdownRenderer
from briefgen.render.notes import NoteRegistry


@pytest.mark.parametrize("raw, iso, full", [
    ("2019", "2019", False), (2019, "2019", False), ("2019-03", "2019-03", False),
    ("2019-03-22", "2019-03-22", True),
])
def test_partial_dates(raw, iso, full):
    value = PartialDate.parse(raw)
    assert value.iso() == iso and value.is_full is full


@pytest.mark.parametrize("raw", ["2019-13", "2019-02-30", "March 2019", "19-03-01", True])
def test_partial_dates_reject_what_is_not_a_date(raw):
    with pytest.raises(ValueError):
        PartialDate.parse(raw)


def test_dates_in_english_and_french():
    assert format_partial_date(PartialDate(2019, 7, 3), "en") == "3 July 2019"
    # French dates hold together with no-break spaces (tests/test_french.py)
    assert format_partial_date(PartialDate(2019, 7, 3), "fr") == "3\u00a0juillet\u00a02019"
    assert format_partial_date(PartialDate(2019, 3), "fr") == "mars\u00a02019"
    assert format_partial_date(PartialDate(2019), "en") == "2019"
    assert format_period(PartialDate(2019, 2), PartialDate(2019, 3), "en") == \
        "February–March 2019"


def test_every_label_exists_in_every_language_and_no_key_is_given_twice():
    keys = {}
    for lang in ("en", "fr"):
        path = Path(str(resources.files("briefgen.i18n") / f"{lang}.yaml"))
        source, problems = load_yaml_file(path, path.name)
        assert problems == [], problems
        # a kind's grammatical gender exists only in languages that have one
        keys[lang] = {_without_form(k) for k in source.lines if k and k[-1] != "gender"}
    assert keys["en"] == keys["fr"]
    assert labels("fr")("sources") == "Sources"
    assert labels("fr").choice("statuses", "expelled") == "expulsé·e"


def _without_form(key: tuple) -> tuple:
    """A role, status or status date may be one string in one language and its forms
    (f, m, neutral, plural; day, month, year) in another: the same label."""
    forms = {"f", "m", "neutral", "plural", "day", "month", "year"}
    if key[0] in ("roles", "statuses", "status_as_of", "instrument_status") and len(key) > 1 \
            and key[-1] in forms:
        return key[:-1]
    return key


def test_citations_number_in_reading_order_and_skip_code():
    notes = NoteRegistry([Source(id=i, title=i.upper()) for i in ("a", "b", "c")])
    md = MarkdownRenderer(cite=lambda ids: str(notes.cite(ids)))
    html = md.block("First [@b], then [@a; @b]\nand `[@c]` is code.")
    assert 'First<sup class="note-call"><a href="#note-1"' in html  # b cited first → 1
    assert '<a href="#note-1" aria-label="note 1">1</a>,<a href="#note-2"' in html
    assert "<code>[@c]</code>" in html
    assert "First<sup" in html                          # no space before the call
    # every source is listed, uncited ones last
    assert [(n, s.id) for n, s in notes.notes()] == [(1, "b"), (2, "a"), (3, "c")]


def test_markdown_raw_html_is_escaped():
    html = MarkdownRenderer().block("<script>alert(1)</script> *ok*")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<em>ok</em>" in html


def test_output_names_keep_variants_apart():
    assert output_stem("brief", "en", "en", "a4") == "brief"
    assert output_stem("brief", "fr", "en", "a4") == "brief.fr"
    assert output_stem("brief", "en", "en", "letter") == "brief.letter"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out" / "brief.pdf"
    atomic_write(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("briefgen.output.os.replace", broken_replace)
    with pytest.raises(BriefgenError, match="cannot write to this folder: disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["brief.pdf"]  # no temp file left
