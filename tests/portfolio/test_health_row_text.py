"""The health table's rows are drawn in Python (portfolio_tags.health_row): what a reader sees
in each language, for the hand-counted portfolio in conftest.py."""

import re

from django.urls import reverse

URL = reverse("portfolio:dashboard")


def _row_html(html: str, name: str) -> str:
    rows = re.findall(r"<tr>\n  <td><a href=.*?</tr>", html, flags=re.S)
    return next(r for r in rows if f">{name}</a>" in r)


def _row(html: str, name: str) -> str:
    """The text of the table row whose account is `name`, tags removed."""
    return " ".join(re.sub(r"<[^>]+>", " ", _row_html(html, name)).split())


def test_rows_in_english(client_for, people, portfolio):
    html = client_for(people.director).get(URL).content.decode()
    castello = _row(html, "Castello Hotels")
    assert "Why Castello Hotels is off track Overdue actions:" in castello
    assert _row_html(html, "Castello Hotels").count("<li>") == 5  # its overdue actions
    assert "Draft" in castello and "▼" not in castello
    assert "No plan" in _row(html, "Dover Tools")


def test_rows_in_french(client_for, people, portfolio):
    people.director.language = "fr"
    people.director.save()
    html = client_for(people.director).get(URL).content.decode()
    castello = _row(html, "Castello Hotels")
    assert "Pourquoi Castello Hotels est hors trajectoire Actions en retard :" in castello
    assert "des 0 activités d'engagement à l'heure" in castello
    assert "Pas de plan" in _row(html, "Dover Tools")
