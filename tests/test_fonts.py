"""No output depends on the machine's fonts, and web pages carry only the glyphs they use
(issue 15).

Every PDF of every built-in template, in English and French — letters, their print
file and a letter pack included — lists in `pdffonts` only faces that fonts.css
declares, each embedded, none synthesised (a "Brief-Sans-Oblique" made by slanting
the upright face, as the dossier's captions had before Noto Sans Italic was
shipped), and each font program inside is the shipped file's face. Since a machine
without fallback fonts would draw a missing glyph as a box without anything showing
in `pdffonts`, every character of the outputs' text, of the catalogs' labels and of
the stylesheets' generated content must also be in the shipped fonts.

The HTML pages embed their fonts subset to what they show: under 300 kB each for
the example, and still covering every character of the page.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pikepdf
import pytest
import tinycss2
import yaml
from fontTools.ttLib import TTFont

from briefgen.batch.letters import BatchRequest
from briefgen.batch.run import run_batch
from briefgen.build import BuildRequest, build
from briefgen.writers.webfonts import font_data_uri, page_characters

from .conftest import REPO

TEMPLATES = REPO / "src" / "briefgen" / "templates"
FONTS_CSS = TEMPLATES / "_shared" / "fonts.css"
CATALOGS = sorted((REPO / "src" / "briefgen" / "i18n").glob("*.yaml"))
WHOLE = ("brief", "handout", "case-sheet", "dossier")
LANGS = ("en", "fr")
DOCUMENTS = [f"{t}.{lang}" for t in WHOLE for lang in LANGS]
BATCHES = ("letter", "letter pack")
MAX_PAGE = 300 * 1024
SPACES = re.compile(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]")  # never drawn with a glyph


# --------------------------------------------------------------------- what is shipped


def _font_faces(css: str) -> Iterator[dict[str, str]]:
    """The descriptors of each @font-face rule, and its src's URL."""
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face":
            continue
        face = {}
        for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                    skip_whitespace=True):
            if decl.type == "declaration":
                url = next((t.value if t.type == "url" else t.arguments[0].value
                            for t in decl.value if t.type == "url"
                            or t.type == "function" and t.lower_name == "url"), None)
                face[decl.lower_name] = url or tinycss2.serialize(decl.value).strip(' "\'')
        yield face


@pytest.fixture(scope="module")
def shipped() -> dict[str, TTFont]:
    """{PostScript name: face} of every font file fonts.css declares."""
    faces = {}
    for face in _font_faces(FONTS_CSS.read_text("utf-8")):
        font = TTFont(FONTS_CSS.parent / face["src"])
        faces[str(font["name"].getDebugName(6))] = font
    return faces


@pytest.fixture(scope="module")
def families() -> set[str]:
    """The families fonts.css declares, as a PDF names them ("Brief-Sans")."""
    return {f["font-family"].replace(" ", "-")
            for f in _font_faces(FONTS_CSS.read_text("utf-8"))}


@pytest.fixture(scope="module")
def covered(shipped) -> set[str]:
    """The characters every shipped face has a glyph for."""
    cmaps = [set(map(chr, font.getBestCmap())) for font in shipped.values()]
    return set.intersection(*cmaps)


def test_fonts_css_declares_every_style_of_both_families(shipped):
    styles = {(str(f["name"].getDebugName(1)), str(f["name"].getDebugName(2)))
              for f in shipped.values()}
    assert styles == {(family, style) for family in ("Noto Serif", "Noto Sans")
                      for style in ("Regular", "Bold", "Italic", "Bold Italic")}


def test_shipped_faces_keep_latin_cyrillic_and_kazakh(covered):
    kazakh = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"
    russian = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    french = "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ«»\u202f\u00a0’“”–—…º"
    assert set(kazakh + russian + french) <= covered


# The characters each shipped language is written with: CLDR's exemplar characters,
# the main set (letters; their capitals are added below) and the punctuation set, as in
# unicode-org/cldr common/main/<language>.xml (<exemplarCharacters> and
# <exemplarCharacters type="punctuation">; CLDR 4x). Babel, whose locale a catalog names,
# does not carry them, so they are copied here, keyed by the locale's language: a
# catalog of a language this table lacks fails the test below until its row is added.
EXEMPLARS = {
    "en": ("abcdefghijklmnopqrstuvwxyz", "-‐–—,;:!?.…'‘’\"“”()[]§@*/&#†‡′″"),
    "fr": ("aàâæbcçdeéèêëfghiîïjklmnoôœpqrstuùûüvwxyÿz", "-‐–—,;:!?.…’\"“”«»()[]§@*/&#†‡"),
    "de": ("aäbcdefghijklmnoöpqrsßtuüvwxyz", "-‐–—,;:!?.…'‘‚\"“„«»()[]{}§@*/&#"),
    "it": ("aàbcdeéèfghiìjklmnoóòpqrstuùvwxyz", "-—,;:!?.…“”«»()[]{}@/"),
    "es": ("aábcdeéfghiíjklmnñoópqrstuúüvwxyz", "-‐‑–—,;:!¡?¿.…'‘’\"“”«»()[]§@*/\\&#†‡′″"),
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "-‐–—,;:!?.…'‘‚\"“„«»()[]{}§@*/&#"),
}
# CLDR's auxiliary sets (letters of foreign words and names: Ş, ğ, İ in German, ā, ŭ in
# English) all lie in these blocks, which the fonts hold whole, so a name from the
# sources in any of the six languages' neighbours is drawn too.
WHOLE_BLOCKS = {"Latin-1 Supplement": (0x00A0, 0x00FF), "Latin Extended-A": (0x0100, 0x017F),
                "Cyrillic": (0x0400, 0x04FF)}


def exemplars(catalog: Path) -> str:
    locale = str(yaml.safe_load(catalog.read_text("utf-8"))["locale"])
    language = locale.replace("-", "_").split("_")[0]
    assert language in EXEMPLARS, (
        f"{catalog.name}: add {language}'s CLDR exemplar characters to EXEMPLARS")
    letters, punctuation = EXEMPLARS[language]
    return letters + letters.upper() + punctuation


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: p.name)
def test_every_face_has_every_letter_of_each_shipped_language(catalog, shipped):
    wanted = set(exemplars(catalog))
    for name, font in shipped.items():
        missing = wanted - set(map(chr, font.getBestCmap()))
        assert not missing, f"{name} lacks {''.join(sorted(missing))} ({catalog.name})"


def test_every_face_holds_the_latin_and_cyrillic_blocks_whole(shipped):
    for name, font in shipped.items():
        cmap = font.getBestCmap()
        for block, (first, last) in WHOLE_BLOCKS.items():
            missing = [f"U+{c:04X}" for c in range(first, last + 1) if c not in cmap]
            assert not missing, f"{name} lacks {block}: {missing}"


# ------------------------------------------------------------------------- the outputs


@pytest.fixture(scope="module")
def outputs(kit, example_brief, tmp_path_factory) -> dict[str, dict[str, Path]]:
    """{"brief.en": {"pdf": …, "html": …}, …} for every whole-document template and
    language, reusing the session's builds; what they lack is built here once."""
    root = kit["root"]
    out = tmp_path_factory.mktemp("fonts-out")
    made: dict[str, dict[str, Path]] = {f"{t}.en": dict(kit[t]) for t in WHOLE}
    made["dossier.fr"] = dict(kit["dossier.fr"])
    made["brief.fr"] = {p.suffix[1:]: p for p in example_brief["fr"].outputs}
    for name in DOCUMENTS:
        template, lang = name.split(".")
        missing = [f for f in ("pdf", "html") if f not in made.setdefault(name, {})]
        if missing:
            result = build(BuildRequest(project_dir=root, template=template, lang=lang,
                                        formats=missing, out_dir=out))
            made[name] |= {p.suffix[1:]: p for p in result.outputs}
    return made


@pytest.fixture(scope="module")
def split_pages(kit, tmp_path_factory) -> list[Path]:
    """The case sheets one file each (`--split`), in English and in French."""
    pages = []
    for lang in LANGS:
        out = tmp_path_factory.mktemp(f"fonts-split-{lang}")
        result = build(BuildRequest(project_dir=kit["root"], template="case-sheet", lang=lang,
                                    formats=["html"], split=True, out_dir=out))
        pages += [p for p in result.outputs if p.suffix == ".html"]
    assert len(pages) > 2
    return pages


@pytest.fixture(scope="module")
def batches(kit, tmp_path_factory) -> dict[str, list[Path]]:
    """The example's letters (their print file included), and the same as a pack."""
    made = {}
    for name in BATCHES:
        out = tmp_path_factory.mktemp("fonts-" + name.replace(" ", "-"))
        result = run_batch(BatchRequest(kit["root"], "letter",
                                        kit["root"] / "content" / "recipients.csv",
                                        out_dir=out, formats=["pdf"], pack=name != "letter",
                                        jobs=1))
        made[name] = sorted(result.out_dir.glob("*.pdf"))
        assert any(p.name == "_print-all.pdf" for p in made[name]), made[name]
    return made


def pdfs(name: str, outputs, batches) -> list[Path]:
    return batches[name] if name in BATCHES else [outputs[name]["pdf"]]


# ------------------------------------------------------------------------------ PDF


def pdffonts(path: Path) -> list[tuple[str, str]]:
    """(name without its subset tag, "emb" column) of each font `pdffonts` lists."""
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    rows = []
    for line in listing:
        name, *_, emb, _sub, _uni, _obj, _gen = line.split()
        rows.append((name.split("+", 1)[-1], emb))
    return rows


def font_programs(path: Path) -> dict[str, TTFont]:
    """{font name without its subset tag: the embedded font program} of a PDF."""
    found = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            descriptor = obj.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in obj:
                descriptor = obj.DescendantFonts[0].get("/FontDescriptor")
            if descriptor is None:
                continue
            stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            name = str(obj.BaseFont)[1:].split("+", 1)[-1]
            if stream is not None:
                found[name] = TTFont(io.BytesIO(stream.read_bytes()))
    return found


def _style_words(font: TTFont) -> set[str]:
    selection = font["OS/2"].fsSelection
    return {word for word, bit in (("Bold", 0x20), ("Italic", 0x01)) if selection & bit}


@pytest.mark.parametrize("name", DOCUMENTS + list(BATCHES))
def test_pdffonts_lists_only_shipped_faces_none_synthesised(name, outputs, batches, shipped,
                                                            families):
    for path in pdfs(name, outputs, batches):
        listed = pdffonts(path)
        programs = font_programs(path)
        assert listed, path.name
        for font, emb in listed:
            assert emb == "yes", f"{path.name}: {font} not embedded"
            family = next((f for f in families if font == f or font.startswith(f + "-")),
                          None)
            assert family, f"{path.name}: {font} is not a family fonts.css declares"
            program = programs[font]
            face = str(program["name"].getDebugName(6))
            assert face in shipped, f"{path.name}: {font} is {face}, not a shipped face"
            words = set(font[len(family) + 1:].split("-")) - {""}
            assert words == _style_words(shipped[face]), (
                f"{path.name}: {font} drawn with {face}: a synthesised style")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", DOCUMENTS + list(BATCHES))
def test_every_character_of_the_pdf_is_in_the_shipped_fonts(name, outputs, batches,
                                                            covered):
    for path in pdfs(name, outputs, batches):
        shown = set(SPACES.sub("", pdf_text(path)))
        assert shown, path.name
        assert shown - covered == set(), path.name


# --------------------------------------------------------------- text beyond the PDFs


def catalog_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from catalog_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from catalog_strings(item)


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: p.name)
def test_every_catalog_label_is_in_the_shipped_fonts(catalog, covered):
    text = "".join(catalog_strings(yaml.safe_load(catalog.read_text("utf-8"))))
    assert text
    assert set(SPACES.sub("", text)) - covered == set()


def generated_content(css: str) -> str:
    """The strings of the stylesheet's `content`, `quotes` and `string-set` values."""
    found = []

    def walk(nodes: list) -> None:
        for node in nodes:
            if node.type == "declaration" and node.lower_name in ("content", "quotes"):
                found.extend(t.value for t in node.value if t.type == "string")
            elif getattr(node, "content", None) is not None and node.type != "declaration":
                walk(tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                    skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return "".join(found)


def test_the_stylesheets_generated_content_is_in_the_shipped_fonts(covered):
    text = "".join(generated_content(p.read_text("utf-8")) for p in TEMPLATES.rglob("*.css"))
    assert set(SPACES.sub("", text)) - covered == set()


# ----------------------------------------------------------------------------- HTML


def inlined_fonts(html: str) -> list[tuple[str, TTFont]]:
    """(media type, font) of each font the page carries as a data: URL."""
    return [(m[1], TTFont(io.BytesIO(base64.b64decode(m[2]))))
            for m in re.finditer(r"data:(font/[a-z0-9]+);base64,([A-Za-z0-9+/=]+)", html)]


def html_text(html: str) -> str:
    """What the page shows: its text, and its styles' generated content."""
    root = lxml.html.document_fromstring(html)
    css = "".join(s.text or "" for s in root.iter("style"))
    return root.find("body").text_content() + generated_content(css)


def check_page(path: Path) -> int:
    html = path.read_text("utf-8")
    fonts = inlined_fonts(html)
    assert fonts, f"{path.name}: no font inlined"
    shown = set(SPACES.sub("", html_text(html)))
    for media, font in fonts:
        assert media == "font/woff2" and font.flavor == "woff2", path.name
        missing = shown - set(map(chr, font.getBestCmap()))
        assert not missing, f"{path.name}: {font['name'].getDebugName(6)} lacks {missing}"
    return path.stat().st_size


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_page_embeds_subset_fonts_that_cover_it(name, outputs, covered):
    size = check_page(outputs[name]["html"])
    assert size < MAX_PAGE, f"{name}: {size // 1024} kB"
    assert set(SPACES.sub("", html_text(outputs[name]["html"].read_text("utf-8")))) <= covered


def test_split_case_sheets_each_embed_subset_fonts(split_pages):
    for page in split_pages:
        assert check_page(page) < MAX_PAGE, page.name


def test_subset_fonts_keep_their_licence_and_names(outputs, shipped):
    for _media, font in inlined_fonts(outputs["dossier.en"]["html"].read_text("utf-8")):
        names = font["name"]
        original = shipped[str(names.getDebugName(6))]["name"]
        for name_id in (0, 1, 2, 7, 13, 14):  # copyright, family, style, trademark, licence
            assert names.getDebugName(name_id) == original.getDebugName(name_id)
        assert len(font.getGlyphOrder()) < 600  # a subset: the faces have about 1,950


def test_page_characters_include_capitals_generated_content_and_attributes():
    root = lxml.html.document_fromstring(
        '<html><head><style>h1 { text-transform: uppercase } '
        'a::after { content: " ⟶ " attr(data-x) } q { quotes: "‹" "›" }</style></head>'
        '<body><h1>ǆ ß ä</h1><a data-x="Ŋ">x</a><img alt="Ő"><!-- ŧ --></body></html>')
    chars = page_characters(root)
    assert {"Ä", "ä", "⟶", "Ŋ", "‹", "›", "Ő"} <= chars
    assert "ŧ" not in chars  # a comment is not shown


def test_a_font_that_cannot_be_subset_is_inlined_whole(tmp_path):
    """A damaged font, or one whose licence forbids subsetting (fsType bit 8), goes into
    the page as it is: the browser may still read it, and the build does not fail."""
    source = FONTS_CSS.parent / "fonts" / "NotoSans-Regular.ttf"
    whole = source.read_bytes()
    damaged = whole[: len(whole) // 2]
    font = TTFont(source)
    font["OS/2"].fsType = 0x0100
    buffer = io.BytesIO()
    font.save(buffer)
    locked = buffer.getvalue()
    for data in (damaged, locked, b"not a font"):
        uri = font_data_uri(tmp_path / "f.ttf", data, frozenset("abc"))
        assert uri == "data:font/ttf;base64," + base64.b64encode(data).decode("ascii")
    subset = font_data_uri(tmp_path / "f.ttf", whole, frozenset("abc"))
    assert subset.startswith("data:font/woff2;base64,") and len(subset) < len(whole) / 4
