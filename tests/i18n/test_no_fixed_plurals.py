"""A number followed by a noun goes through a plural-aware call, so that "1 days" (and the
French "1 jours", or "0 jours" where French says "0 jour") cannot come back: in Python, a
message of the gettext family with "%(name)s days" outside `ngettext`, `ngettext_lazy`,
`npgettext` or the timeline's `EventText.ngettext`; in templates, a `{% blocktranslate %}` whose
number before a noun is not its `count`."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

NOUNS = (
    "days|weeks|months|years|accounts|actions|customers|plans|opportunities|meetings|users|"
    "hours|minutes|seconds|stakeholders|people|entries|items|rows"
)
COUNTED = re.compile(rf"%\(\w+\)s ({NOUNS})\b")
SINGULAR_CALLS = {"gettext", "_", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
PLURAL_CALLS = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
SKIPPED = {".venv", "node_modules", "tests", "bench", "static", "locale"}

# Messages that never show the count 1; each says why.
NEVER_ONE = {
    # MAX_HORIZON_YEARS (30): "between 1 and 1 years" would be no range at all.
    "The horizon must be between 1 and %(max)s years.",
}

BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<options>.*?)%\}(?P<body>.*?)"
    r"\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
NUMBER_BEFORE_NOUN = re.compile(rf"\{{\{{\s*(?P<name>\w+)\s*\}}\}}\s+({NOUNS})\b")
# Template variables before a plural noun that are not numbers; each says what it is.
NOT_A_NUMBER = {
    # "Strategic accounts want …": a classification's label.
    ("organisation/templates/organisation/_handbook_body.html", "label"),
}


def _name(func: ast.expr) -> str:
    return getattr(func, "id", "") or getattr(func, "attr", "")


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or "migrations" in parts or parts[0].startswith("."):
            continue
        # "x.html.py": a template makemessages is reading (the catalogue test, run alongside).
        if len(path.suffixes) > 1 and path.suffixes[-2] in {".html", ".txt"}:
            continue
        yield path


def fixed_plurals_in_python() -> list[str]:
    found = []
    for path in _python_files():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except FileNotFoundError:  # a temporary file removed since the walk listed it
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in SINGULAR_CALLS):
                continue
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and COUNTED.search(arg.value)
                    and arg.value not in NEVER_ONE
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {arg.value[:80]!r}")
    return found


def fixed_plurals_in_templates() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.html")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED or relative.parts[0].startswith("."):
            continue
        text = path.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            counted = re.search(r"\bcount\s+(\w+)\s*=", block["options"])
            for number in NUMBER_BEFORE_NOUN.finditer(block["body"]):
                name = number["name"]
                if (counted and counted[1] == name) or (str(relative), name) in NOT_A_NUMBER:
                    continue
                line = text.count("\n", 0, block.start()) + 1
                found.append(f"{relative}:{line}: {number[0]}")
    return found


def test_no_python_message_writes_a_count_with_a_fixed_plural():
    assert fixed_plurals_in_python() == [], (
        "Use ngettext (ngettext_lazy with the count's name for a text written later, "
        "accounts.event_text.EventText.ngettext on the timeline)"
    )


def test_no_template_writes_a_count_with_a_fixed_plural():
    assert fixed_plurals_in_templates() == [], (
        "Use {% blocktranslate count n=… %}…{% plural %}…{% endblocktranslate %}"
    )


def test_the_checks_find_what_they_look_for(tmp_path):
    # The patterns themselves: a fixed plural is found, a counted one is not.
    assert COUNTED.search("Not contacted for %(days)s days")
    assert not COUNTED.search("Not contacted for %(days)s day")
    block = "{% blocktranslate with days=n %}Due in {{ days }} days{% endblocktranslate %}"
    assert NUMBER_BEFORE_NOUN.search(next(BLOCK.finditer(block))["body"])
    counted = (
        "{% blocktranslate count days=n %}in {{ days }} day{% plural %}in {{ days }} days"
        "{% endblocktranslate %}"
    )
    match = next(BLOCK.finditer(counted))
    assert re.search(r"\bcount\s+(\w+)\s*=", match["options"])[1] == "days"
