"""One rule for output names (README, The command line): TEMPLATE[.LANG][.PAPER].FORMAT,
the language and the paper named only when they are not the project's own.

The project's language is brief.yaml's `language`, unless briefgen.yaml's `lang:`
says otherwise; its paper is briefgen.yaml's `paper`, else A4. A plain build always
writes brief.*, and a variant never overwrites it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.batch.run import BatchRequest, run_batch
from briefgen.build import output_stem

from .conftest import copy_example, run_cli
from .test_batch import EPOCH, roster_rows, write_roster


def project_in(tmp_path: Path, language: str, **settings: str) -> Path:
    """The example with its brief in `language` and briefgen.yaml's `settings`."""
    root = copy_example(tmp_path / f"project-{language}")
    brief = root / "content" / "brief.yaml"
    text = brief.read_text("utf-8")
    assert text.count("\nlanguage: en\n") == 1
    brief.write_text(text.replace("\nlanguage: en\n", f"\nlanguage: {language}\n"), "utf-8")
    config = root / "briefgen.yaml"
    lines = config.read_text("utf-8").splitlines()
    for key, value in settings.items():
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        lines.append(f"{key}: {value}")
    config.write_text("\n".join(lines) + "\n", "utf-8")
    return root


def built(root: Path, *options: str) -> dict[str, str]:
    """`briefgen build` as a user runs it: {file name: the language the page is in}."""
    result = run_cli("build", str(root), "--format", "html", *options)
    assert result.exit_code == 0, result.output
    names = {}
    for line in result.stdout.splitlines():
        path = Path(line)
        page = re.search(r'<html[^>]* lang="([a-z]+)"', path.read_text("utf-8"))
        assert page is not None, path
        names[path.relative_to(root).as_posix()] = page.group(1)
    return names


@pytest.mark.parametrize(("language", "options", "expected"), [
    ("en", (), {"build/brief.html": "en"}),
    ("en", ("--lang", "en"), {"build/brief.html": "en"}),
    ("en", ("--lang", "fr"), {"build/brief.fr.html": "fr"}),
    ("fr", (), {"build/brief.html": "fr"}),
    ("fr", ("--lang", "fr"), {"build/brief.html": "fr"}),
    ("fr", ("--lang", "en"), {"build/brief.en.html": "en"}),
], ids=["en", "en-lang-en", "en-lang-fr", "fr", "fr-lang-fr", "fr-lang-en"])
def test_the_language_is_named_only_when_it_is_not_the_project_s(
        tmp_path: Path, language: str, options: tuple[str, ...],
        expected: dict[str, str]) -> None:
    assert built(project_in(tmp_path, language), *options) == expected


def test_briefgen_yaml_lang_makes_the_project_s_language(tmp_path: Path) -> None:
    root = project_in(tmp_path, "en", lang="fr")
    assert built(root) == {"build/brief.html": "fr"}
    assert built(root, "--lang", "en") == {"build/brief.en.html": "en"}


def test_the_paper_is_named_only_when_it_is_not_the_project_s(tmp_path: Path) -> None:
    a4 = project_in(tmp_path, "en")
    assert list(built(a4, "--paper", "letter", "--lang", "fr")) == ["build/brief.fr.letter.html"]
    letter = project_in(tmp_path, "fr", paper="letter")
    assert list(built(letter)) == ["build/brief.html"]
    assert list(built(letter, "--paper", "a4")) == ["build/brief.a4.html"]


def test_one_file_per_case_ends_with_the_same_suffixes(tmp_path: Path) -> None:
    english = project_in(tmp_path, "en")
    ids = sorted(re.sub(r"^\d+[-_]", "", p.stem)
                 for p in (english / "content" / "cases").glob("*.md")
                 if "." not in p.stem)  # not a translation (NAME.fr.md)
    split = ("--template", "case-sheet", "--split")
    assert built(english, *split, "--lang", "fr") == {
        f"build/case-sheet-{case}.fr.html": "fr" for case in ids}
    french = project_in(tmp_path, "fr")
    assert built(french, *split) == {f"build/case-sheet-{case}.html": "fr" for case in ids}
    assert set(built(french, *split, "--lang", "en")) == {
        f"build/case-sheet-{case}.en.html" for case in ids}


def test_a_french_project_s_batch_names_its_handouts_by_the_same_rule(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = project_in(tmp_path, "fr")
    rows = roster_rows()
    pair = [next(r for r in rows if r["language"] == lang) for lang in ("en", "fr")]
    roster = write_roster(root / "recipients.csv", pair)
    result = run_batch(BatchRequest(project_dir=root, template="letter", recipients=roster,
                                    formats=["pdf"], pack=True, jobs=1))
    names = {p.name for p in result.outputs}
    assert {"_handout.pdf", "_handout.en.pdf"} <= names
    assert not {"_handout.fr.pdf"} & names


def test_output_stem() -> None:
    assert output_stem("brief", "en", "en", "a4") == "brief"
    assert output_stem("brief", "fr", "en", "a4") == "brief.fr"
    assert output_stem("brief", "en", "fr", "a4") == "brief.en"
    assert output_stem("brief", "fr", "fr", "a4") == "brief"
    assert output_stem("brief", "fr", "en", "letter") == "brief.fr.letter"
    assert output_stem("brief", "en", "en", "a4", default_paper="letter") == "brief.a4"
    assert output_stem("case-sheet-bilash", "fr", "en", "a4") == "case-sheet-bilash.fr"
