"""PDF rendering fetches nothing but the app's own static files (common.pdf).

The fetcher is what WeasyPrint asks for every image, stylesheet, font and attachment a template
(or user text inside it) names. It must refuse local files, other hosts (the cloud metadata
address, the database port), traversal out of the static directories, and open no network
connection while doing so; `data:` URLs and real static files are served."""

import io
import re
import socket
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from common import pdf
from common.pdf import PDF_BASE_URL, RefusedFetch, render_pdf, static_only_url_fetcher

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "kam.css"
SECRET = "KAM-SECRET-3f9c1e"


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to resolve a name or open a connection is recorded and fails."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during a test of the PDF fetcher")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


HOSTILE_URLS = [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "https://169.254.169.254/static/css/kam.css",
    "http://127.0.0.1:5432/",
    "http://localhost:6379/",
    "https://example.com/x.css",
    "https://kam.invalid.evil.example/static/css/kam.css",
    "https://kam.invalid:8443/static/css/kam.css",
    "https://attacker@kam.invalid/static/css/kam.css",
    "//evil.example/x.png",
    "/static/css/kam.css",  # not yet resolved against the base URL: no host, refused
    "ftp://kam.invalid/static/css/kam.css",
    "gopher://127.0.0.1:6379/_INFO",
    "https://kam.invalid/etc/passwd",
    "https://kam.invalid/media/exports/plans.zip",
    "https://kam.invalid/staticfiles/css/kam.css",
    "https://kam.invalid/static/../../kam/settings.py",
    "https://kam.invalid/static/css/../../../kam/settings.py",
    "https://kam.invalid/static/%2e%2e/%2e%2e/kam/settings.py",
    "https://kam.invalid/static/..%2f..%2fkam%2fsettings.py",
    "https://kam.invalid/static/%252e%252e/kam/settings.py",
    "https://kam.invalid/static/css\\..\\..\\kam\\settings.py",
    "https://kam.invalid/static//etc/passwd",
    "https://kam.invalid/static/%2fetc/passwd",
    "https://kam.invalid/static/css/kam.css%00.png",
    "https://kam.invalid/static/css/no-such-file.css",
    "https://kam.invalid/static/",
    "https://kam.invalid/static/css",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_fetcher_refuses_anything_but_a_static_file(url, no_network):
    with pytest.raises(RefusedFetch):
        static_only_url_fetcher().fetch(url)
    assert no_network == []


def test_the_fetcher_serves_the_site_stylesheet(no_network):
    fetched = static_only_url_fetcher().fetch(f"{PDF_BASE_URL}static/css/kam.css?v=2#top")
    assert fetched.read() == SITE_CSS.read_bytes()
    assert fetched.content_type == "text/css"
    assert no_network == []


def test_the_fetcher_serves_data_urls(no_network):
    fetched = static_only_url_fetcher().fetch("data:text/plain;base64,TmV0d2luZA==")
    assert fetched.read() == b"Netwind"
    assert no_network == []


def test_a_symlink_in_a_static_directory_does_not_lead_out_of_it(tmp_path, settings, no_network):
    static = tmp_path / "static"
    static.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    (static / "logo.png").symlink_to(secret)
    settings.STATICFILES_DIRS = [static]
    with pytest.raises(RefusedFetch):
        static_only_url_fetcher().fetch(f"{PDF_BASE_URL}static/logo.png")


# ---- rendering a hostile page -------------------------------------------------------------


def _hostile_page(secret_file: Path) -> str:
    """Every way an HTML page can make WeasyPrint fetch something, pointed at local files and
    internal addresses, plus the site's own stylesheet."""
    targets = ["file:///etc/passwd", secret_file.as_uri(), "http://169.254.169.254/latest/"]
    tags = []
    for url in targets:
        tags += [
            f'<img src="{url}" alt="">',
            f'<link rel="stylesheet" href="{url}">',
            f'<link rel="attachment" href="{url}">',
            f'<a rel="attachment" href="{url}">attached</a>',
            f'<object data="{url}"></object>',
            f'<embed src="{url}">',
            f'<svg width="10" height="10"><image href="{url}" width="10" height="10"/></svg>',
            f'<div style="background: url({url})">x</div>',
        ]
    return (
        "{% load static %}<html><head>"
        '<link rel="stylesheet" href="{% static "css/kam.css" %}">'
        f"<style>@import url({secret_file.as_uri()});"
        f"@font-face {{ font-family: leak; src: url({secret_file.as_uri()}) }}</style>"
        "</head><body><h1>Account plan</h1>"
        '<img src="../../../../etc/passwd" alt="">' + "".join(tags) + "</body></html>"
    )


def _everything_in(pdf_bytes: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so that an embedded file shows."""
    parts = [pdf_bytes]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf_bytes, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def hostile_template(tmp_path, settings):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(f"{SECRET}\nroot:x:0:0:root:/root:/bin/bash\n")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "hostile_plan.html").write_text(_hostile_page(secret_file))
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "hostile_plan.html"


def test_the_hostile_page_would_leak_through_an_ordinary_fetcher(hostile_template, no_network):
    """The check below can fail: WeasyPrint's own fetcher embeds the local file."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(hostile_template, {})
    leaked = HTML(string=html, base_url=PDF_BASE_URL).write_pdf()
    assert SECRET.encode() in _everything_in(leaked)


def test_a_hostile_page_renders_without_local_files_or_network(
    hostile_template, monkeypatch, no_network
):
    served = []
    static_path = pdf._static_path

    def recording_static_path(url):
        path = static_path(url)
        served.append(path)
        return path

    monkeypatch.setattr(pdf, "_static_path", recording_static_path)
    rendered = render_pdf(hostile_template, {})

    assert rendered.startswith(b"%PDF")
    assert "Account plan" in PdfReader(io.BytesIO(rendered)).pages[0].extract_text()
    everything = _everything_in(rendered)
    assert SECRET.encode() not in everything
    assert b"root:x:0:0" not in everything
    assert PdfReader(io.BytesIO(rendered)).attachments == {}
    assert served == [SITE_CSS.resolve()]
    assert no_network == []
