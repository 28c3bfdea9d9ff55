"""Documents as an office sends them (SPEC §7): Word on the repository's reference document, PDF/A,
spreadsheets, CSV for Excel, preliminary reports, listings at 80 columns.

The .docx checks read the package XML and run everywhere; where LibreOffice and poppler are
installed each Word document is also laid out by LibreOffice and its text read back."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import invoke

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A4 = (11906, 16838)  # twips
ORG = "Utlendingsdirektoratet (UDI)"

# every Word document: (name, arguments after --repo REPO)
WORD_DOCUMENTS = {
    "agenda": ["meeting", "agenda", "-n", "trafficking"],
    "notice": ["meeting", "notice", "-n", "trafficking"],  # (issued for real: a scratch repository)
    "minutes": ["meeting", "minutes", "-n", "trafficking", "--meeting", "2014-10-21"],
    "action-plan": ["report", "action-plan", "--year", "2014"],
    "quarterly": ["report", "quarterly", "--quarter", "2014-Q4"],
}
PDF_DOCUMENTS = {**WORD_DOCUMENTS, "digest": ["judgment", "digest", "--since", "2014-10-01", "--today", "2014-12-01"]}


def produce(repo: Path, name: str, fmt: str, tmp_path: Path, table=WORD_DOCUMENTS) -> Path:
    out = tmp_path / f"{name}.{fmt}"
    r = invoke(["--repo", repo, *table[name], "-f", fmt, "-o", out])
    assert r.exit_code == 0, r.stderr
    return out


def docx_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def parts(xml: dict[str, str], prefix: str) -> list[str]:
    return [v for k, v in xml.items() if k.startswith(f"word/{prefix}") and k.endswith(".xml")]


def visible_text(part_xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", part_xml))


# --- the .docx package, everywhere ---------------------------------------------------------------
@pytest.mark.parametrize("name", list(WORD_DOCUMENTS))
def test_every_word_document_is_a4_norwegian_with_header_footer_and_properties(scratch_repo, tmp_path, name):
    import docx

    path = produce(scratch_repo, name, "docx", tmp_path)
    xml = docx_xml(path)
    body = xml["word/document.xml"]
    size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', body)
    assert size and (int(size.group(1)), int(size.group(2))) == A4
    styles = re.findall(r"<w:style [^>]*w:type=\"(?:paragraph|character|table)\".*?</w:style>", xml["word/styles.xml"],
                        re.S)
    assert styles and all('<w:lang w:val="nb-NO"' in s for s in styles)
    assert "en-US" not in xml["word/styles.xml"]
    headers, footers = parts(xml, "header"), parts(xml, "footer")
    header_text = " ".join(visible_text(h) for h in headers)
    doc_type = {"agenda": "Saksliste", "notice": "Innkalling", "minutes": "Referat", "action-plan": "Årsrapport",
                "quarterly": "Kvartalsrapport"}[name]
    assert ORG in header_text and doc_type in header_text and "{" not in header_text
    assert re.search(r"\d{1,2}\. \w+ 2014", header_text)  # the document's date, written out
    footer = "".join(footers)
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer)
    assert "Side" in visible_text(footer) and " av " in visible_text(footer)
    assert "<w:tblHeader/>" in body  # header rows repeat on every page
    props = docx.Document(str(path)).core_properties
    assert props.author == ORG and props.language == "nb-NO" and props.title
    assert props.created.year == 2014 and props.created == props.modified
    assert produce(scratch_repo, name, "docx", tmp_path).read_bytes() == path.read_bytes()  # reproducible


def test_the_notice_has_the_to_and_from_lines_of_its_html(scratch_repo, tmp_path):
    import docx

    path = produce(scratch_repo, "notice", "docx", tmp_path)
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Til: medlemmer – Nettverk for menneskehandel" in paragraphs
    assert any(p.startswith("Fra: ") and "Koordinator" in p for p in paragraphs)
    html = invoke(["--repo", scratch_repo, *WORD_DOCUMENTS["notice"], "-f", "html"]).stdout
    assert "<dt>Til</dt><dd>medlemmer – Nettverk for menneskehandel</dd>" in html


def test_a_repository_reference_document_gives_its_header_logo_and_styles(scratch_repo, tmp_path):
    import docx
    from docx.shared import Cm, Pt

    ref = docx.Document()
    ref.sections[0].page_width, ref.sections[0].page_height = Cm(21), Cm(29.7)
    ref.styles["Normal"].font.name = "Georgia"
    ref.styles["Normal"].font.size = Pt(12)
    header = ref.sections[0].header
    header.paragraphs[0].text = "KONTORETS EGEN TOPPTEKST"
    header.add_paragraph().add_run().add_picture(str(_logo(tmp_path)), width=Cm(2))
    target = scratch_repo / "templates" / "word" / "reference.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    ref.save(str(target))
    for name in ("agenda", "action-plan"):
        path = produce(scratch_repo, name, "docx", tmp_path)
        xml = docx_xml(path)
        header_text = " ".join(visible_text(h) for h in parts(xml, "header"))
        assert "KONTORETS EGEN TOPPTEKST" in header_text
        assert {"agenda": "Saksliste", "action-plan": "Årsrapport"}[name] in header_text  # added: no placeholder
        rels = " ".join(v for k, v in xml.items() if k.startswith("word/_rels/header"))
        assert "relationships/image" in rels
        assert any(n.startswith("word/media/") for n in zipfile.ZipFile(path).namelist())
        normal = docx.Document(str(path)).styles["Normal"]
        assert normal.font.name == "Georgia" and normal.font.size == Pt(12)
        assert "NUMPAGES" in "".join(parts(xml, "footer"))  # the footer gets Side X av Y


def _logo(tmp_path: Path) -> Path:
    """A 4×4 blue PNG, written by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x1f\x3a\x60" * 4 for _ in range(4))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path = tmp_path / "logo.png"
    path.write_bytes(png)
    return path


def test_the_shipped_reference_document_is_what_its_script_makes_and_init_copies_it(empty_repo):
    from hrcoord.render.reference import PACKAGED, build

    assert build() == PACKAGED.read_bytes(), "run: python -m hrcoord.render.reference"
    assert (empty_repo / "templates" / "word" / "reference.docx").read_bytes() == PACKAGED.read_bytes()


def test_document_model_library_level():
    import docx

    from hrcoord.render.document import Column, Document, DocumentMeta
    from hrcoord.render.word import render

    doc = Document(DocumentMeta("Innkalling", "Tittel", "en", "UDI", dt.date(2014, 3, 12), "14/01234-1"))
    doc.heading("Empty section", 1).heading("Part 1", 1).para("Text")
    doc.table([Column("Id", "id"), "Text"], [["a-very-long-identifier-2014", None], ["x", "two\nlines"]])
    doc.markdown("A paragraph with **bold** text.\n\n- one\n- two\n").heading("Nothing under me", 2)
    back = docx.Document(io.BytesIO(render(None, doc)))
    paragraphs = [(p.style.name, p.text) for p in back.paragraphs]
    assert ("Title", "Tittel") in paragraphs and ("Heading 1", "Part 1") in paragraphs
    assert not any(t in ("Empty section", "Nothing under me") for _, t in paragraphs)  # no empty sections
    assert [s for s, _ in paragraphs].count("List Bullet") == 2
    assert "bold" in [r.text for p in back.paragraphs for r in p.runs if r.bold]
    assert back.tables[0].rows[2].cells[1].text == "two\nlines"
    props = back.core_properties
    assert (props.title, props.author, props.language, props.identifier) == ("Tittel", "UDI", "en-GB", "14/01234-1")
    assert props.created.replace(tzinfo=None) == dt.datetime(2014, 3, 12, 12, 0)
    header = " ".join(p.text for p in back.sections[0].header.paragraphs)
    assert "Our ref. 14/01234-1" in header and "12 March 2014" in header


def test_column_widths_keep_the_longest_word_whole():
    from hrcoord.render.widths import fit_columns, text_width

    rows = [["Sak 36/14", "Koordinator for internasjonale menneskerettigheter", "01.02.2027"]]
    size, widths = fit_columns(["Sak", "Ansvarlig", "Frist"], ["id", "text", "date"], rows, 9071, 10)
    assert sum(widths) <= 9071 and size == 10
    assert widths[1] >= text_width(len("menneskerettigheter"), size) and widths[2] >= text_width(10, size)
    # too many long words for the page: the font gets smaller before a word is split
    wide = [["menneskerettighetskonvensjonen"] * 3]
    size, widths = fit_columns(["a"] * 3, ["text"] * 3, wide, 9071, 10)
    assert size < 10 and sum(widths) <= 9071 and all(w >= text_width(30, size) for w in widths)


# --- LibreOffice lays the Word documents out (where installed) ----------------------------------------
needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                  reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")


def office_pdf(docx_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "lo"
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile.as_posix()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), str(docx_path)], check=True, capture_output=True, timeout=180)
    return out / (docx_path.stem + ".pdf")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@needs_office
def test_libreoffice_lays_every_word_document_out_on_a4_with_page_numbers_and_whole_words(scratch_repo, tmp_path):
    import docx
    from pypdf import PdfReader

    for name in WORD_DOCUMENTS:
        path = produce(scratch_repo, name, "docx", tmp_path)
        pdf = office_pdf(path, tmp_path)
        pages = PdfReader(str(pdf)).pages
        assert all(abs(float(p.mediabox.width) - 595.3) < 1 and abs(float(p.mediabox.height) - 841.9) < 1
                   for p in pages), name
        text = pdf_text(pdf)
        assert f"Side 1 av {len(pages)}" in text and f"Side {len(pages)} av {len(pages)}" in text, name
        assert ORG in text, name
        tokens = set(re.findall(r"[\wÆØÅæøå./]+", text))  # a line may end after a hyphen: that splits no word
        for table in docx.Document(str(path)).tables:
            for row in table.rows:
                for cell in row.cells:
                    for word in re.findall(r"[\wÆØÅæøå./]{4,}", cell.text):
                        assert word in tokens, f"{name}: {word!r} is split across lines"


# --- PDF/A ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PDF_DOCUMENTS))
def test_pdf_documents_are_pdf_a_on_a4_with_embedded_fonts(scratch_repo, tmp_path, name):
    from pypdf import PdfReader

    path = produce(scratch_repo, name, "pdf", tmp_path, PDF_DOCUMENTS)
    reader = PdfReader(str(path))
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(?:="|>)2', xmp) and re.search(r'pdfaid:conformance(?:="|>)B', xmp)
    assert reader.trailer["/Root"].get("/OutputIntents")  # the sRGB output intent PDF/A asks for
    fonts = 0
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1 and abs(float(page.mediabox.height) - 841.89) < 1
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor").get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
            fonts += 1
    assert fonts
    text = reader.pages[0].extract_text()
    assert ORG in text and f"Side 1 av {len(reader.pages)}" in text
    assert produce(scratch_repo, name, "pdf", tmp_path, PDF_DOCUMENTS).read_bytes() == path.read_bytes()


# --- spreadsheets and CSV for Excel ------------------------------------------------------------------------
def test_report_workbooks_have_a_sheet_per_table_typed_cells_and_a_frozen_header(scratch_repo, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(produce(scratch_repo, "quarterly", "xlsx", tmp_path))
    assert book.sheetnames[:3] == ["Nettverksmøter", "Sammendrag av avgjørelser", "Statusendringer for tiltak"]
    meetings = book["Nettverksmøter"]
    assert [c.value for c in meetings[1]][:2] == ["Nettverk", "Avholdt i kvartalet"]
    assert meetings.freeze_panes == "A2" and isinstance(meetings["B2"].value, int)
    follow_ups = book["Oppfølgingspunkter"]
    due = [c for c in follow_ups["F"][1:] if c.value is not None]
    assert due and all(c.is_date and isinstance(c.value, dt.datetime) for c in due)
    assert all(ws.column_dimensions["A"].width > 8 for ws in book.worksheets)
    plan = openpyxl.load_workbook(produce(scratch_repo, "action-plan", "xlsx", tmp_path))
    measures = plan["Tiltak"]
    deadline = [c for c in measures["F"][1:] if c.value is not None]
    assert deadline and all(c.is_date for c in deadline)
    assert {type(c.value) for c in measures["H"][1:]} == {bool}  # overdue as TRUE/FALSE


LISTINGS = {
    "judgment list": ["judgment", "list"],
    "measure list": ["measure", "list", "--today", "2014-11-24"],
    "hearing list": ["hearing", "list", "--today", "2014-11-24"],
    "network list": ["network", "list"],
    "meeting submissions": ["meeting", "submissions"],
    "meeting check": ["meeting", "check", "--year", "2014", "--today", "2014-12-31"],
    "status": ["status", "--today", "2014-11-24"],
}


@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_comes_as_a_workbook_with_dates_as_dates(scratch_repo, tmp_path, name):
    import openpyxl

    out = tmp_path / "list.xlsx"
    r = invoke(["--repo", scratch_repo, *LISTINGS[name], "-f", "xlsx", "-o", out])
    assert r.exit_code in (0, 1), r.stderr  # meeting check exits 1 for a short year
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0] if name != "status" else book["Oppfølgingspunkter over frist"]
    assert ws.freeze_panes == "A2" and ws.max_row >= 2, name
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    if name not in ("meeting check",):
        assert any(c.is_date for c in cells), name
    assert not any(isinstance(c.value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", c.value) for c in cells), name


def test_excel_csv_has_a_bom_semicolons_and_keeps_the_letters(scratch_repo):
    r = invoke(["--repo", scratch_repo, "measure", "list", "--today", "2014-11-24", "--excel"])
    assert r.exit_code == 0, r.stderr
    raw = r.output_bytes
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["id", "number", "title"] and all(len(row) == len(rows[0]) for row in rows)
    assert any("ø" in cell or "å" in cell for row in rows for cell in row)
    plain = invoke(["--repo", scratch_repo, "measure", "list", "--today", "2014-11-24", "-f", "csv"]).output_bytes
    assert not plain.startswith(b"\xef\xbb\xbf") and plain.split(b"\n")[0].count(b",") == len(rows[0]) - 1
    bad = invoke(["--repo", scratch_repo, "measure", "list", "--excel", "-f", "json"])
    assert bad.exit_code == 2 and "--excel" in bad.stderr


def test_a_text_cell_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path):
    import openpyxl

    from hrcoord.render.sheets import Sheet, workbook

    path = tmp_path / "f.xlsx"
    path.write_bytes(workbook([Sheet("Ark", ["Tekst"], [["=HYPERLINK(\"http://x\")"], ["+47 99"]])]))
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].data_type == "s" and ws["A3"].data_type == "s"


# --- reports about a period that has not ended ---------------------------------------------------------------
def test_a_year_not_ended_gives_a_preliminary_report_judged_on_the_report_day(scratch_repo, tmp_path):
    import json

    args = ["--repo", scratch_repo, "report", "action-plan", "--year", "2014"]
    early = json.loads(invoke([*args, "--today", "2014-12-01", "-f", "json"]).stdout)
    final = json.loads(invoke([*args, "--today", "2015-01-15", "-f", "json"]).stdout)
    assert early["preliminary"] and early["as_of"] == "2014-12-01" and not final["preliminary"]
    by = {m["key"]: m for p in early["plans"] for m in p["measures"]}
    by_final = {m["key"]: m for p in final["plans"] for m in p["measures"]}
    key = "trafficking-2011-2014/tiltak-5"  # deadline 31.12.2014, in progress
    assert by[key]["overdue"] is False and by_final[key]["overdue"] is True
    md = invoke([*args, "--today", "2014-12-01"]).stdout
    assert md.startswith("# Rapport om oppfølging av tiltak i handlingsplanene 2014 (foreløpig, per 1. desember 2014)")
    assert "31. desember 2014 for tiltakene" not in md and "Status per 1. desember 2014" in md
    quarterly = invoke(["--repo", scratch_repo, "report", "quarterly", "--quarter", "2014-Q4", "--today",
                        "2014-11-24"]).stdout
    assert quarterly.startswith("# Kvartalsrapport 4. kvartal 2014 (foreløpig, per 24. november 2014)")


def test_report_documents_use_one_date_style_and_name_no_ids(scratch_repo, tmp_path):
    import docx

    for name in ("quarterly", "action-plan"):
        path = produce(scratch_repo, name, "docx", tmp_path)
        d = docx.Document(str(path))
        text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
        assert not re.search(r"\b\d\d\.\d\d\.\d{4}\b", text), name  # long dates only ("12. mars 2014")
        assert "2014-Q" not in text and "trafficking" not in text and "hrcoord" not in text, name
    quarterly = invoke(["--repo", scratch_repo, "report", "quarterly", "--quarter", "2014-Q4"]).stdout
    assert "4. kvartal 2014" in quarterly and "Frister i neste kvartal (1. kvartal 2015)" in quarterly


# --- terminal tables at 80 columns ---------------------------------------------------------------------------
def _in_pty(args: list[str], columns: int) -> str:
    """Run hrcoord with a pseudo-terminal as its output, `columns` wide."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "hrcoord", *args], stdout=slave, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _ids(scratch_repo: Path, name: str) -> list[str]:
    import json

    args = LISTINGS[name]
    if name in ("network list",):
        return [n["slug"] for n in json.loads(invoke(["--repo", scratch_repo, *args, "-f", "json"]).stdout)]
    if name == "status":
        data = json.loads(invoke(["--repo", scratch_repo, *args, "-f", "json"]).stdout)
        return [m["key"] for m in data["measures"]] + [s["id"] for s in data["summaries"]]
    if name == "meeting check":
        return [c["network"] for c in json.loads(invoke(["--repo", scratch_repo, *args, "-f", "json"]).stdout)]
    rows = json.loads(invoke(["--repo", scratch_repo, *args, "-f", "json"]).stdout)
    return [r.get("key") or r["id"] for r in rows]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_fits_80_columns_with_ids_whole(scratch_repo, name):
    ids = _ids(scratch_repo, name)
    assert ids, name
    shown = _in_pty(["--repo", str(scratch_repo), *LISTINGS[name]], 80)
    lines = shown.split("\n")
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    for ident in ids:
        assert ident in shown, f"{name}: {ident} split or missing"
    piped = subprocess.run([sys.executable, "-m", "hrcoord", "--repo", str(scratch_repo), *LISTINGS[name]],
                           capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"}, timeout=60)
    assert max(len(line) for line in piped.stdout.split("\n")) <= 80
    assert all(ident in piped.stdout for ident in ids)


def test_terminal_table_headers_and_folding():
    from hrcoord.render.tables import terminal

    rows = [["trafficking-2011-2014/tiltak-12", "A long title " * 6, "2014-12-31", 3]]
    out = terminal(rows, ["id", "title", "deadline", ""], width=80, folding=[False, True, False, False])
    lines = out.split("\n")
    assert max(map(len, lines)) <= 80 and "trafficking-2011-2014/tiltak-12" in out and "2014-12-31" in out
    assert lines[0].split() == ["id", "title", "deadline", "–"]  # every column has a header
    assert len([line for line in lines if "A long" in line]) >= 2  # the title folds in its own column


def test_documents_name_no_commands(scratch_repo):
    for name, args in WORD_DOCUMENTS.items():
        text = invoke(["--repo", scratch_repo, *args, "-f", "md"]).stdout
        assert "hrcoord" not in text and not re.search(r"(?<![-\w])--\w", text), name

