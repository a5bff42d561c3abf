"""YAML hints: the mistakes people make in YAML, told at their line with the fix.

Each test parses a small text the way briefgen reads every YAML file (content,
front matter, briefgen.yaml, template.yaml, a YAML recipients file) and checks
the line, the field, the words and the corrected line. The bad-input corpus
(tests/bad_inputs/170-189) runs the same mistakes through the command line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefgen.content.source_file import SourceFile, load_markdown_file, parse_yaml
from briefgen.content.yaml_hints import MAX_HINTS
from briefgen.errors import Problem

from .conftest import run_cli


def problems(text: str) -> list[Problem]:
    return parse_yaml(text, SourceFile(Path("x.yaml"), "x.yaml"))


def one(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def written(problem: Problem) -> list[str]:
    """The corrected lines a hint shows (after "write:"), without the label's padding."""
    shown = problem.message.split("\n")[1:]
    label = re.match(r"^( *)(line \d+:)", shown[0])
    assert label is not None, problem.message
    column = len(label.group(1)) + max(len(label.group(2)), len("write:")) + 2
    start = next(i for i, line in enumerate(shown) if line.lstrip().startswith("write:"))
    return [line[column:] for line in shown[start:]]


def test_french_colon_in_text_is_quoted() -> None:
    p = one("title: A\nsubtitle: La déclaration : une analyse\ndate: 2019\n")
    assert (p.line, p.field) == (2, "subtitle")
    assert p.message.startswith('a colon followed by a space (" : ") inside text makes YAML '
                                "read a new field name; put the text in quotes\n")
    assert "line 2:  subtitle: La déclaration : une analyse" in p.message
    assert written(p) == ['subtitle: "La déclaration : une analyse"']


@pytest.mark.parametrize("text", [
    'Le "grand" débat : enjeux',
    "C:\\dossiers : notes",
    "Nous vous demandons :",
    "L'analyse : « Magnitsky »",
])
def test_the_corrected_line_reads_back_as_the_text(text: str) -> None:
    p = one(f"subtitle: {text}\n")
    assert yaml.safe_load("\n".join(written(p))) == {"subtitle": text}


def test_colon_in_a_text_over_several_lines() -> None:
    p = one("title: A\nsummary: Une longue\n  phrase : ici\n  et la suite\nx: 1\n")
    assert (p.line, p.field) == (3, "summary")  # the colon's line
    assert "the text that starts on line 2" in p.message
    assert written(p) == ['summary: "Une longue', "  phrase : ici", '  et la suite"']


def test_a_comment_after_the_text_stays_out_of_the_quotes() -> None:
    p = one("subtitle: Le rapport: une analyse  # à revoir\n")
    assert written(p) == ['subtitle: "Le rapport: une analyse"  # à revoir']


def test_a_list_of_texts_quotes_the_whole_item() -> None:
    p = one("key_asks:\n  - Raise the cases\n  - Sanctions : les responsables : tous\n")
    assert (p.line, p.field) == (3, "key_asks[1]")
    assert written(p) == ['  - "Sanctions : les responsables : tous"']


def test_a_list_of_entries_quotes_the_value() -> None:
    p = one("- title: Mme\n  address: Assemblée nationale : Paris\n- title: M.\n")
    assert (p.line, p.field) == (2, "[0].address")
    assert written(p) == ['  address: "Assemblée nationale : Paris"']


def test_tab_indentation_names_the_column_and_every_line() -> None:
    p = one("title: A\norganisations:\n\t- name: x\n\t  role: y\n\t- name: z\n")
    assert (p.line, p.field) == (3, "organisations[0]")
    assert p.message.startswith("this line is indented with a tab (column 1); YAML accepts "
                                "only spaces: use spaces, not tabs (so are lines 4 and 5)\n")
    assert "line 3:  [tab]- name: x" in p.message
    assert written(p) == ["  - name: x"]


def test_tab_at_the_top_level_is_removed() -> None:
    p = one("name: A\n\trole: x\nstatus: y\n")
    assert (p.line, p.field) == (2, "role")
    assert written(p) == ["role: x"]


def test_unclosed_quote_to_the_end_points_at_where_it_opens() -> None:
    p = one('title: "Magnitsky laws\nsubtitle: x\ndate: 2019\n')
    assert (p.line, p.field) == (1, "title")
    assert "never closed" in p.message and "to the end of the file" in p.message
    assert written(p) == ['title: "Magnitsky laws"']


def test_unclosed_quote_up_to_another_quote() -> None:
    p = one('title: "Magnitsky laws\nsubtitle: x\ndate: 2019\nother: "y"\nz: 1\n')
    assert (p.line, p.field) == (1, "title")
    assert "up to the quote on line 4" in p.message


def test_apostrophe_in_single_quotes() -> None:
    p = one("title: 'L'analyse de la loi'\n")
    assert "apostrophe" in p.message
    assert written(p) == ['title: "L\'analyse de la loi"']


def test_quoted_phrase_followed_by_more_text() -> None:
    p = one('title: "Magnitsky laws" sanctions must be imposed\n')
    assert written(p) == ['title: "\\"Magnitsky laws\\" sanctions must be imposed"']
    assert yaml.safe_load(written(p)[0]) == {"title": '"Magnitsky laws" sanctions must be '
                                                      "imposed"}


@pytest.mark.parametrize(("text", "line", "field", "fixed"), [
    ("key_asks:\n  - Ask one\n  Ask two\n  - Ask three\n", 3, "key_asks[1]", "  - Ask two"),
    ("key_asks:\n  - Ask one\n  - Ask two\n  Ask three\nnext: 1\n", 4, "key_asks[2]",
     "  - Ask three"),
    ("- a\nb\n", 2, "[1]", "- b"),
    ("key_asks:\n  Ask one\n  - Ask two: now\n", 2, "key_asks[0]", "  - Ask one"),
])
def test_list_item_without_its_dash(text: str, line: int, field: str, fixed: str) -> None:
    p = one(text)
    assert (p.line, p.field) == (line, field)
    assert 'start it with "- " like the other items' in p.message
    assert written(p) == [fixed]


def test_entry_without_its_dash_moves_its_fields_with_it() -> None:
    p = one("cases:\n  - name: A\n    role: x\n  name: B\n  role: y\n")
    assert (p.line, p.field) == (4, "cases[1]")
    assert written(p) == ["  - name: B", "    role: y"]


def test_entry_without_its_dash_read_as_duplicate_fields() -> None:
    p = one("- id: a\n  title: x\n\n  id: b\n  title: y\n")
    assert (p.line, p.field) == (4, "[0]")
    assert p.message.startswith("fields id and title are given twice (first on lines 1 and "
                                '2); if a new entry of the list starts here, start its line '
                                'with "- "')
    assert written(p) == ["- id: b"]


def test_a_real_duplicate_key_stays_a_duplicate_key() -> None:
    assert [str(p) for p in problems("- id: a\n  title: x\n  title: y\n")] == [
        "x.yaml:3: duplicate key 'title' (first given on line 2)"]


def test_field_indented_one_space_off() -> None:
    p = one("t:\n  - id: x\n    a: 1\n   b: 2\n")
    assert (p.line, p.field) == (4, "t[0].b")
    assert written(p) == ["    b: 2"]


def test_unclosed_bracket_points_at_where_it_opens() -> None:
    p = one("formats: [pdf, html\npaper: a4\n")
    assert (p.line, p.field) == (1, "formats")
    assert written(p) == ["formats: [pdf, html]"]


@pytest.mark.parametrize("start", ["@ngo", "*Urgent* news", "`code`"])
def test_text_starting_with_a_character_yaml_keeps(start: str) -> None:
    p = one(f"note: {start}\n")
    assert p.field == "note" and "put the text in quotes" in p.message
    assert yaml.safe_load(written(p)[0]) == {"note": start}


def test_every_mistake_of_a_file_at_once() -> None:
    text = 'title: A : b\nkey_asks:\n  - one\n  two\nsubtitle: "open\nz: 1\n'
    found = problems(text)
    assert [(p.line, p.field) for p in found] == [(1, "title"), (4, "key_asks[1]"),
                                                  (5, "subtitle")]


def test_a_mistake_without_words_keeps_the_parser_s() -> None:
    assert [str(p) for p in problems("a: 1\n---\nb: 2\n")] == [
        "x.yaml:2: malformed YAML: expected a single document in the stream (started on "
        "line 1); but found another document"]


def test_hints_stop_after_the_limit() -> None:
    text = "".join(f"t{i}: R : {i}\n" for i in range(MAX_HINTS + 5))
    found = problems(text)
    assert len(found) == MAX_HINTS + 1
    assert str(found[-1]) == (f"x.yaml: more YAML mistakes after line {MAX_HINTS}: fix the "
                              "ones above, then run again")


def test_front_matter_lines_count_from_the_top_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "case.md"
    path.write_text("---\nname: Test\nsentence: Sept ans : confirmé\n---\nText.\n", "utf-8")
    _, found = load_markdown_file(path, "case.md", within=(tmp_path,))
    assert [(p.line, p.field) for p in found] == [(3, "sentence")]
    assert "line 3:  sentence: Sept ans : confirmé" in found[0].message


def test_valid_yaml_with_colons_and_quotes_has_no_problem() -> None:
    text = ('title: "La déclaration : une analyse"\nurl: https://example.org/a:b\n'
            "time: 14:30\nkey_asks:\n  - 'L''analyse'\nsummary: |\n  Texte : ici\n")
    assert problems(text) == []


def test_a_text_item_read_as_a_mapping_is_told_to_be_quoted(project: Path) -> None:
    """`- Sanctions : …` is valid YAML (a mapping): the content check says to quote it."""
    path = project / "content/brief.yaml"
    text = path.read_text("utf-8")
    old = "  - Support targeted Magnitsky-type sanctions against the officials responsible.\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "  - Sanctions : soutenir des sanctions  # FR\n"), "utf-8")
    line = text[:text.index(old)].count("\n") + 1
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert (f"content/brief.yaml:{line}: key_asks[1]: expected text, got a mapping: a colon "
            'followed by a space (" : ") inside text makes YAML read "Sanctions" as a field '
            "name; put the text in quotes\n") in result.output
    assert '      write:      - "Sanctions : soutenir des sanctions"  # FR\n' in result.output


def test_a_dashless_item_with_a_colon_in_it_gets_both_hints() -> None:
    first, second = problems("key_asks:\n  - a\n  Sanctions : b : c\n")
    assert (first.line, first.field, second.line, second.field) == (3, "key_asks[1]", 3,
                                                                     "key_asks[1]")
    assert "does not start with a dash" in first.message
    assert "put the text in quotes" in second.message
    # each shows the line as it was written, and the line with every fix so far
    assert "line 3:    Sanctions : b : c\n" in second.message
    assert written(second) == ['  - "Sanctions : b : c"']


def test_a_quote_open_to_the_end_without_a_fix_to_show() -> None:
    """Closing the quote at the end of its line would not make the rest readable: the
    open quote is still said, without a corrected line and without reading on."""
    p = one('a: 1\n"b: 2\nc: 3\n')
    assert (p.line, p.field) == (2, None)
    assert p.message == ('the double quote (") that opens this text is never closed, so '
                         "YAML reads all the lines after it as part of the text, to the end "
                         'of the file; close the quote where the text ends\n'
                         '      line 2:  "b: 2')


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r"])
def test_a_line_break_only_yaml_counts_gives_the_plain_message(separator: str) -> None:
    """YAML also breaks lines at NEL, U+2028, U+2029 and a lone CR, so its line numbers
    are not the text's lines: no hint points at a line then (found by test_fuzz)."""
    (problem,) = problems(f"{separator}title: ---\n\n  title: ---\n\n")
    assert "malformed YAML" in problem.message or "mapping values" in problem.message
