"""'Change' over a column of Edit buttons and links reads 'Modifier' in French: it shared its
message with the dashboard's year-on-year change and read 'Variation' on the account team, the
customer issues and the value delivered; a CRM import's updated row reads 'Modification'."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override, pgettext

pytestmark = pytest.mark.django_db


def _headers(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", html)
    ]


@pytest.mark.parametrize(
    "name", ["organisation:team", "outcomes:issue_list", "outcomes:value_list"]
)
def test_the_edit_column_reads_modifier(client_for, people, account, name):
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    html = client_for(people.director).get(reverse(name, args=[account.pk])).content.decode()
    assert "Modifier" in _headers(html)
    assert "Variation" not in html


def test_the_dashboards_year_on_year_change_still_reads_variation():
    with override("fr"):
        assert pgettext("edit column", "Change") == "Modifier"
        assert pgettext("import row", "Change") == "Modification"
        assert gettext("Change") == "Variation"
