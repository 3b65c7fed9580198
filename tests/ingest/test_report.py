"""The FY2024 report read exactly: count, first and last records, every field of every record."""

from __future__ import annotations

import pytest

from ingest.report import read_pdf


def norm(s):
    return "".join(str(s or "").replace("〜", "～").replace("~", "～").split())


@pytest.fixture(scope="module")
def report(sample_report_pdf):
    return read_pdf(sample_report_pdf)


def test_count_and_fiscal_year(report):
    assert len(report.records) == 123
    assert report.fiscal_year == 2024
    assert report.title == "令和６年度交流実績一覧（協定等締結自治体）"
    assert report.pages == 3


def test_first_record_exact(report):
    first = report.records[0].to_dict()
    assert first["municipality"] == "熊本県"
    assert first["municipality_code"] == "430005"
    assert first["printed_name"] == "熊本県"
    assert first["description"] == "オフセット・クレジット（J-VER）を購入"
    assert first["department"] == "環境政策課"
    assert first["period_text"] == "R6.4"
    assert first["intervals"] == [["2024-04-01", "2024-04-30"]]
    assert (first["start"], first["end"], first["approximate"]) == ("2024-04-01", "2024-04-30", False)
    assert first["source"] == {"file": "r6_report.pdf", "page": 1}


def test_last_record_exact(report):
    last = report.records[-1].to_dict()
    assert last["municipality"] == "沖縄県うるま市"
    assert last["municipality_code"] == "472131"
    assert last["description"] == "都市交流フェスタにて現代版組踊「肝高の阿麻和利」によるステージパフォーマンスを披露"
    assert last["department"] == "アカデミー推進課"
    assert last["period_text"] == "R7.3.8"
    assert last["intervals"] == [["2025-03-08", "2025-03-08"]]
    assert last["source"]["page"] == 3


def test_every_record_matches_ground_truth(report, expected):
    want = expected["records"]
    got = [r.to_dict() for r in report.records]
    assert len(got) == len(want)
    for g, w in zip(got, want):  # same order as printed
        for f in (
            "municipality",
            "municipality_code",
            "printed_name",
            "description",
            "department",
            "period_text",
            "intervals",
            "start",
            "end",
            "approximate",
        ):
            assert (norm(g[f]) if isinstance(g[f], str) else g[f]) == (norm(w[f]) if isinstance(w[f], str) else w[f]), (f, g, w)


def test_misprinted_label_kept_and_resolved(report):
    kami = [r for r in report.records if r.municipality_code == "432121"]
    assert len(kami) == 4
    assert {r.printed_name for r in kami} == {"熊本市上天草市"}
    assert {r.municipality for r in kami} == {"熊本県上天草市"}
    assert any("熊本市上天草市" in w for w in report.warnings)


def test_block_across_page_break_with_clipped_label(report):
    """金沢市's merged cell runs from page 1 onto page 2, where its label is drawn above the page."""
    kanazawa = [r for r in report.records if r.municipality_code == "172014"]
    assert len(kanazawa) == 20
    assert {r.source["page"] for r in kanazawa} == {1, 2}
    tamana = [r for r in report.records if r.municipality_code == "432067"]
    assert len(tamana) == 14 and {r.source["page"] for r in tamana} == {2, 3}


def test_header_overflow_is_not_a_label(report):
    """The one-character-per-line header 市/区/町 overflows into the first row; it must not become a label."""
    assert all(r.printed_name != "町" and not r.printed_name.endswith("町町") for r in report.records)
    assert report.records[0].printed_name == "熊本県"


@pytest.mark.slow
def test_a_page_with_one_vertical_rule_does_not_refuse_the_report(sample_report_pdf, tmp_path):
    """A page whose rules are one vertical line (a margin rule beside a note) gave pdfplumber's cell finder a
    single explicit line, which raises ValueError — and the whole valid report was reported damaged."""
    import io

    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    extra = io.BytesIO()
    c = canvas.Canvas(extra, pagesize=A4)
    c.line(60, 100, 60, 700)  # one vertical rule, nothing else ruled
    c.line(80, 650, 500, 650)
    c.line(80, 600, 500, 600)
    c.showPage()
    c.save()
    doc = pypdfium2.PdfDocument(sample_report_pdf.read_bytes())
    doc.import_pages(pypdfium2.PdfDocument(extra.getvalue()))
    path = tmp_path / "with-one-rule.pdf"
    doc.save(str(path))
    assert len(pypdfium2.PdfDocument(str(path))) == 4
    assert len(read_pdf(path).records) == 123


@pytest.mark.slow
def test_a_pdfminer_warning_that_loses_no_text_is_named_not_refused(sample_report_pdf, report, tmp_path):
    """A font descriptor whose FontBBox pdfminer cannot parse (it warns and uses a default box): every record
    is read as from the intact file, and the page and the warning are said — only warnings that may drop text
    (Data-loss while decompressing …) refuse."""
    data = sample_report_pdf.read_bytes()
    broken = data.replace(b"/FontBBox[-270 -278 999 930]", b"/FontBBox[-270 -278 999 x30]")
    assert broken != data and len(broken) == len(data)  # same length: the cross-reference offsets still hold
    path = tmp_path / "fontbbox.pdf"
    path.write_bytes(broken)
    read = read_pdf(path)
    fields = [{k: v for k, v in r.to_dict().items() if k != "source"} for r in read.records]
    assert fields == [{k: v for k, v in r.to_dict().items() if k != "source"} for r in report.records]
    assert any(w.startswith("p.1 PDFの軽微な不備") and "FontBBox" in w for w in read.warnings), read.warnings
