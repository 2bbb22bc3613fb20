"""A `{# … #}` comment ends on its own line in Django's templates: one that goes on to the next
line is printed on the page as text (the plan page once showed its own comment). Every template
of the project is read for one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SKIPPED = {".venv", "node_modules", "staticfiles"}


def _templates():
    for path in ROOT.rglob("templates/**/*.html"):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path


def test_no_template_comment_runs_past_its_line():
    found = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            start = line.find("{#")
            if start != -1 and "#}" not in line[start:]:
                found.append(f"{path.relative_to(ROOT)}:{number}: use {{% comment %}}")
    assert sum(1 for _ in _templates()) > 100
    assert not found, "\n".join(found)
