"""The digest of the project's code that keys cached markup and figures (common.cache), so that
what the code before a deploy cached is never served by the code after it."""

from __future__ import annotations

import pytest

from common.cache import code_digest


def make_project(root):
    for name, text in {
        "app/views.py": "x = 1\n",
        "app/templates/app/row.html": "<tr></tr>\n",
        "locale/fr/LC_MESSAGES/django.po": 'msgid "a"\nmsgstr "b"\n',
        "tests/test_app.py": "def test(): pass\n",
        ".venv/lib/site.py": "y = 2\n",
        "app/static/app.css": "body {}\n",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("app/templates/app/row.html", True),  # markup: e.g. the ids an in-place save swaps
        ("app/views.py", True),  # code that shapes a cached figure
        ("locale/fr/LC_MESSAGES/django.po", True),  # a label's translation
        ("tests/test_app.py", False),  # not shipped code
        (".venv/lib/site.py", False),  # a library is not the project's
        ("app/static/app.css", False),  # no cached value holds a stylesheet
    ],
)
def test_the_digest_moves_with_the_projects_code_templates_and_messages(tmp_path, name, changes):
    make_project(tmp_path)
    before = code_digest(tmp_path)
    assert code_digest(tmp_path) == before  # the same files, the same digest
    (tmp_path / name).write_text((tmp_path / name).read_text() + "changed\n")
    assert (code_digest(tmp_path) != before) is changes


def test_a_new_template_moves_the_digest(tmp_path):
    make_project(tmp_path)
    before = code_digest(tmp_path)
    (tmp_path / "app/templates/app/cell.html").write_text("<td></td>\n")
    assert code_digest(tmp_path) != before
