"""PDF rendering with WeasyPrint. Only the app's own static files may be fetched.

A template (or user text inside it) that points at `file:///etc/passwd` or an outside URL gets
nothing: the fetcher refuses every URL that is not under STATIC_URL and resolves inside a static
directory (the source directories, or STATIC_ROOT for the hashed names collectstatic writes in
real mode). It never opens a network connection.
"""

import functools
import hashlib
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

from common.cache import cache_get, cache_set

PDF_BASE_URL = "https://kam.invalid/"


class RefusedFetch(ValueError):
    pass


def _static_path(url: str) -> Path:
    parsed = urlparse(url)
    path = unquote(parsed.path)
    is_ours = parsed.scheme in {"http", "https"} and parsed.netloc == urlparse(PDF_BASE_URL).netloc
    if not is_ours or not path.startswith(settings.STATIC_URL):
        raise RefusedFetch(f"PDF rendering may not fetch {url!r}")
    relative = path[len(settings.STATIC_URL) :]
    suspicious = ".." in Path(relative).parts or relative.startswith("/") or "\\" in relative
    if suspicious or "\x00" in relative:
        raise RefusedFetch(f"PDF rendering may not fetch {url!r}")
    try:
        found = finders.find(relative) or _collected(relative)
    except SuspiciousFileOperation:
        raise RefusedFetch(f"PDF rendering may not fetch {url!r}") from None
    if not found or not Path(found).is_file():  # `static/` itself is found as a directory
        raise RefusedFetch(f"no static file {relative!r}")
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots += [p.resolve() for p in _app_static_dirs()]
    if settings.STATIC_ROOT:
        # In real mode `{% static %}` gives hashed names that only STATIC_ROOT holds.
        roots.append(Path(settings.STATIC_ROOT).resolve())
    resolved = Path(found).resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise RefusedFetch(f"{relative!r} is outside the static directories")
    return resolved


def _collected(relative: str) -> Path | None:
    """In real mode `{% static %}` names the hashed copy that collectstatic wrote to
    STATIC_ROOT (css/kam.3f2a9c.css), which the finders do not know."""
    if not settings.STATIC_ROOT:
        return None
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves data: URLs and the app's static files; refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyURLFetcher


def static_only_url_fetcher():
    return _fetcher_class()()


def _app_static_dirs():
    from django.apps import apps

    for config in apps.get_app_configs():
        candidate = Path(config.path) / "static"
        if candidate.is_dir():
            yield candidate


_warm = threading.local()


def _font_config():
    """This thread's WeasyPrint font configuration, kept for the next render. WeasyPrint makes
    a new one per document by default: Fontconfig loads its configuration and scans the fonts
    again, and Pango's font map starts empty, so every face is opened and shaped anew. Kept,
    the fonts stay loaded (bench/README.md, Findings). Per thread: Pango's font map is not
    thread-safe."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_warm, "font_config", None)
    if config is None:
        config = _warm.font_config = FontConfiguration()
    return config


def _stylesheet_file(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise RefusedFetch(f"no static file {name!r}")
    return Path(found)


def print_stylesheet(name: str):
    """The static stylesheet `name` (as `{% static %}` takes it), parsed once per thread and
    kept while the file is unchanged. A `<link>` would be fetched and parsed again for every
    document (bench/README.md, Findings). Per thread, like the fonts it is tied to."""
    from weasyprint import CSS

    path = _stylesheet_file(name)
    stamp = path.stat().st_mtime_ns
    kept = getattr(_warm, "stylesheets", None)
    if kept is None:
        kept = _warm.stylesheets = {}
    if name not in kept or kept[name][0] != stamp:
        sheet = CSS(
            string=path.read_text(encoding="utf-8"),
            base_url=f"{PDF_BASE_URL.rstrip('/')}{settings.STATIC_URL}{name}",
            url_fetcher=static_only_url_fetcher(),
            font_config=_font_config(),
        )
        kept[name] = (stamp, sheet)
    return kept[name][1]


@functools.cache
def _document_class():
    from weasyprint import HTML

    class PrintDocument(HTML):
        """An HTML document whose user-agent stylesheets (the HTML defaults) can be ours:
        `user_agent_stylesheets`, when set, replace WeasyPrint's own through its
        `_ua_stylesheets` hook (tests/common/test_shared_utils.py fails if the hook goes away)."""

        user_agent_stylesheets: list = []

        def _ua_stylesheets(self, forms=False):
            return self.user_agent_stylesheets or super()._ua_stylesheets(forms)

    return PrintDocument


def print_document(html: str, *, user_agent_stylesheet: str | None = None):
    """A WeasyPrint document of `html`, fetching only our static files. `user_agent_stylesheet`:
    a static stylesheet of HTML defaults used instead of WeasyPrint's (css/print_user_agent.css
    holds only what our templates use: far fewer styles to compute; bench/README.md, Findings)."""
    document = _document_class()(
        string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_url_fetcher()
    )
    if user_agent_stylesheet:
        document.user_agent_stylesheets = [print_stylesheet(user_agent_stylesheet)]
    return document


def kept_pdf_key(html: str, stylesheets: tuple[str, ...], user_agent_stylesheet: str | None) -> str:
    """The cache key of the PDF drawn from `html` with these static stylesheets: a digest of
    everything the drawing reads. The HTML holds every word, figure and date (translated and
    localized), the data: URLs and the static URLs it links; the stylesheets are named with
    their files' modification stamps (as print_stylesheet keeps them) and WeasyPrint's version
    is part of the key. Two requests that draw the same HTML get the same bytes, whoever asks:
    access is checked before the HTML is rendered."""
    from weasyprint import __version__ as weasyprint_version

    digest = hashlib.sha256()
    digest.update(weasyprint_version.encode())
    for name in (*stylesheets, user_agent_stylesheet or ""):
        stamp = _stylesheet_file(name).stat().st_mtime_ns if name else 0
        digest.update(f"\0{name}\0{stamp}".encode())
    digest.update(b"\0")
    digest.update(html.encode())
    return f"pdf:{digest.hexdigest()}"


def render_pdf(
    template_name: str,
    context: dict,
    *,
    stylesheets: tuple[str, ...] = (),
    user_agent_stylesheet: str | None = None,
    keep_seconds: int = 0,
) -> bytes:
    """Render a print template to PDF bytes. Static files are referenced as
    `{% static '...' %}` and resolved against PDF_BASE_URL by the fetcher above.
    `stylesheets`: static names applied to the document without a `<link>` in the template
    (print_stylesheet keeps them parsed); `user_agent_stylesheet`: see print_document.
    `keep_seconds`: keep the PDF in the cache that long under kept_pdf_key, and serve it again
    when the template renders the same HTML (only for templates whose linked files are named
    by content, or that link none: a static file changed under the same name is not seen)."""
    html = render_to_string(template_name, context)
    key = kept_pdf_key(html, stylesheets, user_agent_stylesheet) if keep_seconds > 0 else None
    if key is not None:
        kept = cache_get(key)
        if isinstance(kept, bytes):
            return kept
    document = print_document(html, user_agent_stylesheet=user_agent_stylesheet)
    pdf = document.write_pdf(
        font_config=_font_config(),
        stylesheets=[print_stylesheet(name) for name in stylesheets],
    )
    if key is not None:
        cache_set(key, pdf, keep_seconds)
    return pdf
