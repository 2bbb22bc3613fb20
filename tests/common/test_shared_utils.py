from decimal import Decimal

import pytest

from common.csv_export import csv_response, safe_cell
from common.pdf import RefusedFetch, print_stylesheet, render_pdf, static_only_url_fetcher


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Northwind Foods", "Northwind Foods"),
        (Decimal("-12.50"), "-12.50"),
        (-3, "-3"),
        (None, ""),
    ],
)
def test_csv_cells_that_look_like_formulas_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_csv_response_is_a_download_with_header_row():
    response = csv_response("x.csv", ["Name", "Value"], [["=cmd", 1]])
    body = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert body.splitlines() == ["Name,Value", "'=cmd,1"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/logo.png",
        "https://kam.invalid/etc/passwd",
        "https://kam.invalid/static/../../etc/passwd",
    ],
)
def test_pdf_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(RefusedFetch):
        static_only_url_fetcher().fetch(url)


def test_pdf_fetcher_serves_our_static_files():
    result = static_only_url_fetcher().fetch("https://kam.invalid/static/css/kam.css")
    assert b"--kam-strategic" in result.read()
    assert result.content_type == "text/css"


def test_pdf_with_hostile_references_renders_without_fetching(tmp_path, settings):
    (tmp_path / "hostile.html").write_text(
        '<html><body><h1>Plan</h1><img src="file:///etc/passwd" alt="x">'
        '<img src="https://example.com/track.png" alt="y">'
        '<link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pdf = render_pdf("hostile.html", {})
    assert pdf.startswith(b"%PDF")
    assert b"root:" not in pdf


def test_pdf_fetcher_serves_hashed_names_collected_in_real_mode(tmp_path, settings):
    """With DEBUG off, {% static %} yields hashed names that only STATIC_ROOT holds."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "kam.0123abcd.css").write_text("body { color: #111; }")
    result = static_only_url_fetcher().fetch("https://kam.invalid/static/css/kam.0123abcd.css")
    assert result.read() == b"body { color: #111; }"
    with pytest.raises(RefusedFetch):
        static_only_url_fetcher().fetch("https://kam.invalid/static/css/missing.0123abcd.css")


def test_pdfs_rendered_one_after_another_share_the_loaded_fonts(tmp_path, settings):
    """The font configuration is kept per thread (bench/README.md, Findings 14): the second
    document reuses the first one's and still carries its own text, in its own fonts."""
    import io

    from pypdf import PdfReader

    from common.pdf import _font_config

    for name, text in (("one.html", "First plan"), ("two.html", "Second plan, in bold")):
        (tmp_path / name).write_text(f"<html><body><h1>{text}</h1><p>Body</p></body></html>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    first = PdfReader(io.BytesIO(render_pdf("one.html", {}))).pages[0]
    config = _font_config()
    second = PdfReader(io.BytesIO(render_pdf("two.html", {}))).pages[0]
    assert _font_config() is config
    assert "First plan" in first.extract_text() and "Second plan, in bold" in second.extract_text()
    assert "Second plan" not in first.extract_text()


def test_a_print_stylesheet_is_parsed_once_and_again_when_its_file_changes(tmp_path, settings):
    """render_pdf(stylesheets=...) applies a static stylesheet with no <link> in the template,
    parsed once per thread (bench/README.md, Findings) and parsed again after an edit."""
    import io
    import os

    from pypdf import PdfReader

    static = tmp_path / "static"
    static.mkdir()
    sheet_file = static / "print.css"
    sheet_file.write_text("@page { size: A5; }")
    settings.STATICFILES_DIRS = [static]
    (tmp_path / "doc.html").write_text("<html><body><p>Plan</p></body></html>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    def page_size_mm(pdf: bytes) -> tuple[int, int]:
        box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)

    first = print_stylesheet("print.css")
    assert print_stylesheet("print.css") is first
    assert page_size_mm(render_pdf("doc.html", {}, stylesheets=("print.css",))) == (148, 210)
    sheet_file.write_text("@page { size: A6; }")
    stamp = sheet_file.stat().st_mtime_ns + 1_000_000_000
    os.utime(sheet_file, ns=(stamp, stamp))
    assert print_stylesheet("print.css") is not first
    assert page_size_mm(render_pdf("doc.html", {}, stylesheets=("print.css",))) == (105, 148)
    assert page_size_mm(render_pdf("doc.html", {})) == (210, 297)  # WeasyPrint's default, A4


def test_a_user_agent_stylesheet_replaces_weasyprints_html_defaults(tmp_path, settings):
    """render_pdf(user_agent_stylesheet=...) draws on our sheet of HTML defaults instead of
    WeasyPrint's (through its `_ua_stylesheets` hook): a sheet that does not hide <head> prints
    the title, and its @page size applies."""
    import io

    from pypdf import PdfReader

    static = tmp_path / "static"
    static.mkdir()
    (static / "defaults.css").write_text("@page { size: A5; } body { display: block; }")
    settings.STATICFILES_DIRS = [static]
    (tmp_path / "doc.html").write_text(
        "<html><head><title>Head title</title></head><body><p>Plan</p></body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    ours = PdfReader(io.BytesIO(render_pdf("doc.html", {}, user_agent_stylesheet="defaults.css")))
    weasyprints = PdfReader(io.BytesIO(render_pdf("doc.html", {})))
    assert "Head title" in ours.pages[0].extract_text()
    assert "Head title" not in weasyprints.pages[0].extract_text()
    assert round(float(ours.pages[0].mediabox.width) * 25.4 / 72) == 148  # A5
    assert round(float(weasyprints.pages[0].mediabox.width) * 25.4 / 72) == 210  # A4


def test_a_kept_pdf_is_served_again_only_for_the_same_html_and_stylesheets(
    tmp_path, settings, pdfs_drawn
):
    """render_pdf(keep_seconds=...) keeps the PDF under a digest of its HTML and stylesheets:
    the same HTML is not drawn again; other HTML, an edited stylesheet or keep_seconds=0 is."""
    import os

    static = tmp_path / "static"
    static.mkdir()
    sheet_file = static / "print.css"
    sheet_file.write_text("@page { size: A5; }")
    settings.STATICFILES_DIRS = [static]
    (tmp_path / "doc.html").write_text("<html><body><p>{{ name }}</p></body></html>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    built = pdfs_drawn

    def pdf(name: str, keep: int = 60) -> bytes:
        return render_pdf("doc.html", {"name": name}, stylesheets=("print.css",), keep_seconds=keep)

    first = pdf("Northwind")
    assert pdf("Northwind") == first
    assert len(built) == 1
    assert pdf("Contoso") != first  # other HTML: drawn
    assert len(built) == 2
    sheet_file.write_text("@page { size: A6; }")
    stamp = sheet_file.stat().st_mtime_ns + 1_000_000_000
    os.utime(sheet_file, ns=(stamp, stamp))
    assert pdf("Northwind") != first  # the stylesheet changed: drawn again, on A6
    assert len(built) == 3
    pdf("Northwind", keep=0)
    pdf("Northwind", keep=0)
    assert len(built) == 5  # not kept: drawn every time


def test_a_kept_pdf_is_drawn_when_the_cache_does_not_answer(
    tmp_path, settings, monkeypatch, pdfs_drawn
):
    import common.cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache host down")

    monkeypatch.setattr(common.cache.cache, "get", broken)
    monkeypatch.setattr(common.cache.cache, "set", broken)
    (tmp_path / "doc.html").write_text("<html><body><p>Plan</p></body></html>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    built = pdfs_drawn
    assert render_pdf("doc.html", {}, keep_seconds=60).startswith(b"%PDF")
    assert render_pdf("doc.html", {}, keep_seconds=60).startswith(b"%PDF")
    assert len(built) == 2
