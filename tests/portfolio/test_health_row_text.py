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
    # French counts 0 in the singular.
    assert "sur 0 activité d'engagement à l'heure" in castello
    assert "Pas de plan" in _row(html, "Dover Tools")


def test_typed_markup_in_rows_and_lists_is_shown_as_text(client_for, people, portfolio):
    """The rows, "Why" lists and matrix list are built in Python and marked safe: every name,
    sector, title and owner typed by someone must come out escaped, as `{{ value }}` would."""
    from accounts.models import KeyAccount
    from planning.models import Action

    castello = KeyAccount.objects.get(customer__name="Castello Hotels")
    castello.customer.name = "Castello <b>Hotels</b> & Co"
    castello.customer.sector = "<i>Hospitality</i>"
    castello.customer.save()
    action = Action.objects.filter(plan__key_account=castello).order_by("pk").first()
    action.title = "<script>alert(1)</script>"
    action.save()
    people.manager.first_name = "<u>Mo</u>"
    people.manager.save()

    html = client_for(people.director).get(URL).content.decode()

    for raw in ("<b>Hotels</b>", "<i>Hospitality</i>", "<script>alert(1)", "<u>Mo</u>"):
        assert raw not in html
    row = _row_html(html, "Castello &lt;b&gt;Hotels&lt;/b&gt; &amp; Co")
    assert "&lt;i&gt;Hospitality&lt;/i&gt;" in row
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in row  # the overdue action, in "Why"
    assert "&lt;u&gt;Mo&lt;/u&gt;" in row  # the manager column and the action's owner
    # The matrix's list under the chart names the account too.
    assert html.count("Castello &lt;b&gt;Hotels&lt;/b&gt; &amp;amp; Co") == 0
    assert html.count("Castello &lt;b&gt;Hotels&lt;/b&gt; &amp; Co") >= 2
