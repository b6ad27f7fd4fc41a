"""Real Word footnotes for python-docx, which (as of 1.2) has no footnote API.

A footnote needs three things in the package: a part /word/footnotes.xml (content type
…wordprocessingml.footnotes+xml) related to the document part by the footnotes relationship,
holding the two separator footnotes Word expects (ids -1 and 0) and one w:footnote per note;
a w:footnoteReference run in the body where the marker goes; and the footnote styles.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

FOOTNOTES_URI = "/word/footnotes.xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_STYLE, REFERENCE_STYLE = "Footnote Text", "Footnote Reference"
TEXT_STYLE_ID, REFERENCE_STYLE_ID = "FootnoteText", "FootnoteReference"

EMPTY_FOOTNOTES = f"""<w:footnotes xmlns:w="{W_NS}">
  <w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
    w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
    w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

FOOTNOTE_XML = f"""<w:footnote xmlns:w="{W_NS}" w:id="{{id}}"><w:p>
  <w:pPr><w:pStyle w:val="{TEXT_STYLE_ID}"/></w:pPr>
  <w:r><w:rPr><w:rStyle w:val="{REFERENCE_STYLE_ID}"/></w:rPr><w:footnoteRef/></w:r>
  <w:r><w:t xml:space="preserve"> </w:t></w:r>
</w:p></w:footnote>"""

REFERENCE_XML = f"""<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="{REFERENCE_STYLE_ID}"/></w:rPr>
  <w:footnoteReference w:id="{{id}}"/></w:r>"""

SETTINGS_FOOTNOTE_PR = f"""<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/><w:footnote w:id="0"/>
</w:footnotePr>"""
# w:settings children that come after w:footnotePr in the schema's sequence.
SETTINGS_AFTER_FOOTNOTE_PR = (
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def footnotes_part(document: DocumentObject) -> XmlPart:
    """The document's footnotes part, created (with styles and settings) on first use."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part
    part = XmlPart(PackURI(FOOTNOTES_URI), CT.WML_FOOTNOTES, parse_xml(EMPTY_FOOTNOTES), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    _add_styles(document)
    _add_settings(document)
    return part


def add_footnote(document: DocumentObject, paragraph: Paragraph, text: str) -> int:
    """Append a footnote reference to the paragraph and the note to the footnotes part; returns its id."""
    part = footnotes_part(document)
    ids = [int(n.get(qn("w:id"))) for n in part.element.findall(qn("w:footnote"))]
    note_id = max([0, *ids]) + 1
    note = parse_xml(FOOTNOTE_XML.format(id=note_id))
    note.findall(".//" + qn("w:t"))[-1].text = " " + text
    part.element.append(note)
    paragraph._p.append(parse_xml(REFERENCE_XML.format(id=note_id)))
    return note_id


def _add_styles(document: DocumentObject) -> None:
    """The two footnote styles under Word's own built-in names, so that notes added in Word match."""
    styles = document.styles
    names = {s.name.lower() for s in styles}
    if TEXT_STYLE.lower() not in names:
        text = styles.add_style(TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = styles["Normal"]
        text.font.size = Pt(10)
        text.paragraph_format.space_after = Pt(0)
        text.paragraph_format.first_line_indent = Pt(0)
        _as_builtin(text)
    if REFERENCE_STYLE.lower() not in names:
        reference = styles.add_style(REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True
        _as_builtin(reference)


def _as_builtin(style) -> None:
    style.element.name_val = style.name.lower()  # "footnote text": the name Word's built-in style has
    style.element.attrib.pop(qn("w:customStyle"), None)


def _add_settings(document: DocumentObject) -> None:
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    footnote_pr = parse_xml(SETTINGS_FOOTNOTE_PR)
    later = [child for child in settings if child.tag in {qn("w:" + t) for t in SETTINGS_AFTER_FOOTNOTE_PR}]
    if later:
        later[0].addprevious(footnote_pr)
    else:
        settings.append(footnote_pr)
