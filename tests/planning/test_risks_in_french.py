"""A plan's risks read in French: likelihood and impact are the levels' labels in the reader's
language ("Élevée", "Faible"), not the stored value ("High"); the PDF draws them the same way."""

import re

from django.urls import reverse

from planning.models import PlanRisk


def test_the_risk_levels_are_french_on_the_page(client_for, people, account, plan):
    PlanRisk.objects.create(
        plan=plan, description="Packwell underbids us", likelihood="high", impact="low"
    )
    page = client_for(people.manager).get(
        reverse("planning:plan", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    html = page.content.decode()
    row = re.search(r"<tr>\s*<td>Packwell underbids us.*?</tr>", html, re.S)[0]
    assert '<td data-label="Probabilité">Élevée</td>' in row
    assert '<td data-label="Impact">Faible</td>' in row
    assert ">High<" not in row and ">Low<" not in row
