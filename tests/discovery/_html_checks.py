"""A copy of main's tests/html_checks.py (not on this branch yet): a small accessibility check.

Not a full validator: it catches what most often goes wrong — missing doctype/lang/title, zero
or several <h1>, inputs without a label, images without alt text, duplicate ids.
"""

from html.parser import HTMLParser

LABELLED_BY_ATTR = ("aria-label", "aria-labelledby", "title")
NO_LABEL_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1 = 0
        self.title_text = ""
        self._in_title = False
        self.html_lang = None
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict]] = []
        self.images_without_alt: list[str] = []
        self._label_depth = 0
        self.controls_inside_label: set[int] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and attrs.get("type", "text") in NO_LABEL_TYPES:
                return
            self.controls.append((tag, attrs))
            if self._label_depth:
                self.controls_inside_label.add(len(self.controls) - 1)
        elif tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src", "?"))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "label" and self._label_depth:
            self._label_depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title_text += data


def page_problems(html: str) -> list[str]:
    problems = []
    if not html.lstrip().lower().startswith("<!doctype html>"):
        problems.append("no <!doctype html>")
    parser = _PageParser()
    parser.feed(html)
    if not parser.html_lang:
        problems.append("<html> has no lang")
    if not parser.title_text.strip():
        problems.append("empty <title>")
    if parser.h1 != 1:
        problems.append(f"{parser.h1} <h1> elements (want exactly one)")
    for index, (tag, attrs) in enumerate(parser.controls):
        labelled = (
            attrs.get("id") in parser.label_for
            or index in parser.controls_inside_label
            or any(attrs.get(a) for a in LABELLED_BY_ATTR)
        )
        if not labelled:
            problems.append(f"<{tag} name={attrs.get('name')!r}> has no label")
    for src in parser.images_without_alt:
        problems.append(f"<img src={src!r}> has no alt")
    seen = set()
    for element_id in parser.ids:
        if element_id in seen:
            problems.append(f"duplicate id {element_id!r}")
        seen.add(element_id)
    return problems
