"""Leave WeasyPrint's layout out of a request that answers a PDF, for tests that check what the
view does around it (access, queries): the view still renders its print template with its data,
and answers a tiny valid-looking PDF instead of laying it out (a second or more a document).

Every PDF of the app is drawn by common.pdf.render_pdf through common.pdf.print_document, so that
is where the drawing is replaced. (Replacing `weasyprint.HTML` does not work once a process has
drawn one PDF: common.pdf keeps its document class.)"""

from contextlib import contextmanager

import pytest

UNRENDERED = b"%PDF-1.7\n% layout skipped by the test\n%%EOF\n"


class UnrenderedDocument:
    def __init__(self, html: str):
        self.html = html

    def write_pdf(self, **_options) -> bytes:
        return UNRENDERED


@contextmanager
def pdf_layout_skipped():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "common.pdf.print_document",
            lambda html, **_options: UnrenderedDocument(html),
        )
        yield
