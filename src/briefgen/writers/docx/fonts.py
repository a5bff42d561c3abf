"""Fonts in the Word output as in the PDF: the shipped fonts, embedded as Word embeds them.

Noto (templates/_shared/fonts/) is not part of an Office install: without it
embedded, Word shows the brief in Calibri or Times. Word embeds a TrueType font
as an *obfuscated* font part (ECMA-376 Part 1, §17.8.1 "Font Embedding"):

- the font file, its first 32 bytes XORed with a key — a GUID, its 16 bytes in
  reverse order, twice — stored as `/word/fonts/fontN.odttf` (content type
  `application/vnd.openxmlformats-officedocument.obfuscatedFont`);
- a relationship of type `…/relationships/font` to it from the font table;
- in the font table's `w:font` for the family, `w:embedRegular` (`embedBold`,
  `embedItalic`, `embedBoldItalic`) with the relationship and the key as
  `w:fontKey="{GUID}"`;
- `w:embedTrueTypeFonts` in the settings (and `w:saveSubsetFonts` when subset).

Each font is subset (fontTools) to the characters the document uses, plus basic
Latin (A–Z, a–z, digits, punctuation) so that a small correction typed in Word
still shows in the font; a character outside the subset, typed later, falls back
to another font. Fonts whose licence bits (OS/2 fsType) forbid embedding are
left out, and those that forbid subsetting are embedded whole. Only families the
document names and that briefgen ships are embedded: a project's own fonts are
named, not embedded. The key is derived from the font's bytes, so the same
document still gives the same file.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from ...assets import builtin_root
from ..font_subset import subset_font
from . import oxml

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# (bold, italic) → the font table's element for that face, in CT_Font's order
EMBED_TAGS = {(False, False): "w:embedRegular", (True, False): "w:embedBold",
              (False, True): "w:embedItalic", (True, True): "w:embedBoldItalic"}
# Always in a subset: the Latin letters of Europe's languages (Basic Latin, Latin-1,
# Latin Extended-A, Romanian's comma-below letters), dashes, quotes, bullets and the euro
# sign, so that a correction typed in Word shows in the font, and so that most documents
# need no more: the subset is then the same for all of them, made once per process (a
# subset takes about 0.1 s a face; a batch of letters would pay it for every letter).
ALWAYS = frozenset(
    chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x218, 0x21C),
                     *range(0x2010, 0x2028), *range(0x2030, 0x203B), 0x20AC)
    if unicodedata.category(chr(c)) != "Cc")

# fsType (OS/2): what the font's licence lets a document do with it
_RESTRICTED = 0x0002  # no embedding at all
_NO_SUBSETTING = 0x0100
_BITMAP_ONLY = 0x0200

# CT_Settings' children before w:embedTrueTypeFonts / w:saveSubsetFonts, in order
_SETTINGS_BEFORE = ("w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
                    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries",
                    "w:displayBackgroundShape", "w:printPostScriptOverText",
                    "w:printFractionalCharacterWidth", "w:printFormsData",
                    "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts")
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# The font table and the theme are XML parts we edit (python-docx keeps them as blobs).
PartFactory.part_type_for.setdefault(CT.WML_FONT_TABLE, XmlPart)
PartFactory.part_type_for.setdefault(CT.OFC_THEME, XmlPart)


@dataclass(frozen=True)
class FontFile:
    """One face of a family that can be embedded."""

    path: Path
    family: str
    bold: bool
    italic: bool
    fs_type: int
    panose: str  # 20 hex digits
    generic: str  # the font table's w:family: roman (serif) or swiss (sans serif)
    fixed_pitch: bool
    signature: tuple[str, str, str, str, str, str]  # usb0…usb3, csb0, csb1

    @property
    def embeddable(self) -> bool:
        return not self.fs_type & (_RESTRICTED | _BITMAP_ONLY)

    @property
    def subsettable(self) -> bool:
        return not self.fs_type & _NO_SUBSETTING


def _font_file(path: Path) -> FontFile | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(path, lazy=True)
        if "glyf" not in font:  # Word embeds TrueType outlines only
            return None
        name = font["name"]
        family = str(name.getDebugName(16) or name.getDebugName(1) or "")
        os2 = font["OS/2"]
    except (OSError, TTLibError, KeyError):
        return None
    panose = os2.panose
    digits = [panose.bFamilyType, panose.bSerifStyle, panose.bWeight, panose.bProportion,
              panose.bContrast, panose.bStrokeVariation, panose.bArmStyle,
              panose.bLetterForm, panose.bMidline, panose.bXHeight]
    sans = panose.bFamilyType == 2 and panose.bSerifStyle in (11, 12, 13)
    bits = lambda value: f"{value & 0xFFFFFFFF:08X}"  # noqa: E731
    return FontFile(
        path=path, family=family, bold=bool(os2.fsSelection & 0x20),
        italic=bool(os2.fsSelection & 0x01), fs_type=os2.fsType,
        panose="".join(f"{d:02X}" for d in digits),
        generic="swiss" if sans or "sans" in family.lower() else "roman",
        fixed_pitch=bool(font["post"].isFixedPitch),
        signature=(bits(os2.ulUnicodeRange1), bits(os2.ulUnicodeRange2),
                   bits(os2.ulUnicodeRange3), bits(os2.ulUnicodeRange4),
                   bits(os2.ulCodePageRange1), bits(os2.ulCodePageRange2)))


@lru_cache(maxsize=4)
def available_fonts(folder: Path | None = None) -> dict[str, tuple[FontFile, ...]]:
    """The TrueType faces in `folder` (default: the fonts briefgen ships), by family."""
    folder = folder or builtin_root() / "_shared" / "fonts"
    faces: dict[str, list[FontFile]] = {}
    for path in sorted(folder.glob("*.ttf")):
        face = _font_file(path)
        if face is not None and face.family:
            faces.setdefault(face.family, []).append(face)
    # in CT_Font's order: regular, bold, italic, bold italic
    return {family: tuple(sorted(found, key=lambda f: (f.italic, f.bold)))
            for family, found in faces.items()}


# ------------------------------------------------------------------- explicit fonts win


def explicit_fonts_win(styles: BaseOxmlElement) -> None:
    """In every `w:rFonts` of the styles part, drop the theme attribute of a slot that
    also names a font, so that Word shows the font named, as LibreOffice and the PDF do."""
    for r_fonts in styles.iter(qn("w:rFonts")):
        for font, theme in zip(oxml.FONT_SLOTS, oxml.THEME_SLOTS, strict=True):
            if r_fonts.get(qn(font)):
                r_fonts.attrib.pop(qn(theme), None)


def set_default_font(document: DocumentObject, family: str) -> None:
    """The document's default font (`w:docDefaults`), explicit, without theme fonts."""
    r_pr = oxml.default_run_properties(document)
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)  # first in CT_RPr
    oxml.set_fonts(r_fonts, family)


def _part(document: DocumentObject, reltype: str) -> Part | None:
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def set_theme_fonts(document: DocumentObject, heading: str, body: str) -> None:
    """The theme's heading (major) and body (minor) Latin fonts, for whatever still
    follows the theme (a style the template does not restyle)."""
    theme = _part(document, RT.THEME)
    if not isinstance(theme, XmlPart):
        return
    for kind, family in (("majorFont", heading), ("minorFont", body)):
        for latin in theme.element.iterfind(f".//{{{_A}}}{kind}/{{{_A}}}latin"):
            latin.set("typeface", family)
            for attr in ("panose", "pitchFamily", "charset"):
                latin.attrib.pop(attr, None)


# ------------------------------------------------------------------------- font table


def font_table(document: DocumentObject) -> XmlPart:
    """The font table part (created if the reference had none)."""
    part = _part(document, RT.FONT_TABLE)
    if isinstance(part, XmlPart):
        return part
    if part is not None:  # loaded before XmlPart was registered for it
        element = parse_xml(part.blob)
        for rel_id, rel in list(document.part.rels.items()):
            if rel.target_part is part:
                del document.part.rels[rel_id]
    else:
        element = parse_xml(f"<w:fonts {nsdecls('w', 'r')}/>")
    new = XmlPart(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, element,
                  document.part.package)
    document.part.relate_to(new, RT.FONT_TABLE)
    return new


def font_entry(fonts: BaseOxmlElement, face: FontFile) -> BaseOxmlElement:
    """The font table's `w:font` for the face's family, described from the font file
    (panose, pitch, Unicode and code page ranges: what Word matches a substitute by)."""
    entry = next((f for f in fonts.iterfind(qn("w:font")) if f.get(qn("w:name")) == face.family),
                 None)
    if entry is None:
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), face.family)
        fonts.append(entry)
    for child in list(entry):
        if child.tag != qn("w:altName"):
            entry.remove(child)
    for tag, value in (("w:panose1", face.panose), ("w:charset", "00"),
                       ("w:family", face.generic),
                       ("w:pitch", "fixed" if face.fixed_pitch else "variable")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        entry.append(el)
    sig = OxmlElement("w:sig")
    for attr, value in zip(("w:usb0", "w:usb1", "w:usb2", "w:usb3", "w:csb0", "w:csb1"),
                           face.signature, strict=True):
        sig.set(qn(attr), value)
    entry.append(sig)
    return entry


def describe_fonts(document: DocumentObject, families: Iterable[str]) -> None:
    """Font table entries for the shipped families (no embedding): the reference.docx."""
    fonts = font_table(document).element
    faces = available_fonts()
    for family in families:
        if family in faces:
            font_entry(fonts, faces[family][0])


# -------------------------------------------------------------------------- embedding


def obfuscate(data: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376 Part 1, §17.8.1: the first 32 bytes XORed with the key's 16 bytes taken in
    reverse order (of the GUID as written: "{0102…}" gives 0x…02, 0x01), twice. Its own
    inverse: obfuscate(obfuscate(d, k), k) == d."""
    reversed_key = bytes.fromhex(key.hex)[::-1]
    head = bytes(b ^ reversed_key[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def font_key(fontkey: str) -> uuid.UUID:
    """The key of a `w:fontKey` attribute ("{GUID}")."""
    return uuid.UUID(fontkey.strip("{}"))


@lru_cache(maxsize=64)
def _font_bytes(path: Path, characters: frozenset[str] | None) -> bytes:
    """The font file, subset to `characters` (None: whole)."""
    data = path.read_bytes()
    if characters is None:
        return data
    # every name kept, legacy ones too: Word finds the font by its family name
    return subset_font(data, characters, name_legacy=True, prune_unicode_ranges=False)


_TEXT_TAGS = (qn("w:t"), qn("w:delText"))


def _story_parts(document: DocumentObject) -> Iterator[XmlPart]:
    """The parts whose text is shown: the body, notes, headers and footers, numbering."""
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart) and part.partname.startswith("/word/") \
                and part.content_type != CT.WML_FONT_TABLE:
            yield part


def used_characters(document: DocumentObject) -> frozenset[str]:
    """Every character the document shows (in either case: styles may set all caps; with
    the invisible ones, a word joiner or a soft hyphen), and ALWAYS."""
    chars: set[str] = set(ALWAYS)
    for part in _story_parts(document):
        for el in part.element.iter(*_TEXT_TAGS):
            chars.update(el.text or "")
        for lvl_text in part.element.iter(qn("w:lvlText")):
            chars.update(lvl_text.get(qn("w:val")) or "")
    cased = {c for ch in chars for c in (ch.upper(), ch.lower()) if len(c) == 1}
    return frozenset(c for c in chars | cased if unicodedata.category(c) != "Cc")


def used_families(document: DocumentObject) -> set[str]:
    """The font families the document's styles, runs and theme name."""
    families: set[str] = set()
    for part in _story_parts(document):
        for r_fonts in part.element.iter(qn("w:rFonts")):
            families.update(v for attr in oxml.FONT_SLOTS if (v := r_fonts.get(qn(attr))))
    theme = _part(document, RT.THEME)
    if isinstance(theme, XmlPart):
        families.update(str(latin.get("typeface")) for latin in
                        theme.element.iterfind(f".//{{{_A}}}latin") if latin.get("typeface"))
    return families


def _setting(settings: BaseOxmlElement, tag: str) -> None:
    """A flag in the settings part, in CT_Settings' order."""
    if settings.find(qn(tag)) is not None:
        return
    earlier = {qn(t) for t in _SETTINGS_BEFORE[: _SETTINGS_BEFORE.index(tag)]}
    position = 0
    for i, child in enumerate(settings):
        if child.tag in earlier:
            position = i + 1
    settings.insert(position, OxmlElement(tag))


def embed_fonts(document: DocumentObject, subset: bool = True) -> int:
    """Embed every shipped face of every shipped family the document names; returns how
    many faces were embedded."""
    faces = available_fonts()
    families = sorted(f for f in used_families(document) if f in faces)
    if not families:
        return 0
    characters = used_characters(document) if subset else None
    table = font_table(document)
    package = document.part.package
    count = 0
    subsetted = False
    for family in families:
        entry = font_entry(table.element, faces[family][0])
        for face in faces[family]:
            if not face.embeddable:
                continue
            cut = characters if face.subsettable else None
            data = _font_bytes(face.path, cut)
            key = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])
            count += 1
            part = Part(PackURI(f"/word/fonts/font{count}.odttf"), OBFUSCATED_FONT,
                        obfuscate(data, key), package)
            embed = OxmlElement(EMBED_TAGS[(face.bold, face.italic)])
            embed.set(qn("r:id"), table.relate_to(part, RT.FONT))
            embed.set(qn("w:fontKey"), "{" + str(key).upper() + "}")
            if cut is not None:
                embed.set(qn("w:subsetted"), "1")
                subsetted = True
            entry.append(embed)
    settings = document.settings.element
    if count:
        _setting(settings, "w:embedTrueTypeFonts")
    if subsetted:
        _setting(settings, "w:saveSubsetFonts")
    return count


def font_parts(docx: bytes) -> dict[str, tuple[str, bytes]]:
    """For tests and checks: {family/face: (fontKey, de-obfuscated font bytes)} of a
    saved .docx."""
    import posixpath
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(docx))
    table = etree.fromstring(archive.read("word/fontTable.xml"))
    rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
    targets = {r.get("Id"): posixpath.normpath(posixpath.join("word", r.get("Target") or ""))
               for r in rels}
    found = {}
    for entry in table.iterfind(qn("w:font")):
        for tag in EMBED_TAGS.values():
            embed = entry.find(qn(tag))
            if embed is not None:
                key = str(embed.get(qn("w:fontKey")))
                data = archive.read(targets[embed.get(qn("r:id"))])
                found[f"{entry.get(qn('w:name'))}/{tag[len('w:embed'):]}"] = (key, obfuscate(data,
                                                                               font_key(key)))
    return found
