"""The relationship page's change history in French: the stages and positions a change moved
between are named in the reader's language, not stored values written with a capital."""

import re
from datetime import date

from django.urls import reverse

from discovery.models import RelationshipChange


def test_the_changes_name_the_stages_in_french(client_for, people, account):
    RelationshipChange.objects.create(
        key_account=account,
        field=RelationshipChange.Field.STAGE,
        old_value="basic",
        new_value="cooperative",
        changed_on=date(2026, 3, 11),
        reason="Regular business reviews.",
        changed_by=people.director,
    )
    RelationshipChange.objects.create(
        key_account=account,
        field=RelationshipChange.Field.POSITION,
        old_value="commodity",
        new_value="enhanced",
        changed_on=date(2026, 3, 11),
        reason="Service wrapped around the product.",
        changed_by=people.director,
    )
    html = (
        client_for(people.manager)
        .get(reverse("discovery:relationship", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    # The cells, their phone card labels (data-label) left out.
    cells = re.sub(r"<td[^>]*>", "<td>", html)
    assert "<td>Basique</td><td>Coopératif</td>" in cells
    assert "<td>Produit de base</td><td>Amélioré</td>" in cells
    for english in ("<td>Basic</td>", "<td>Cooperative</td>", "<td>Commodity</td>"):
        assert english not in cells, english
    # On a phone each change is a card whose lines say what they are, in French too.
    assert '<td data-label="De">Basique</td><td data-label="À">Coopératif</td>' in html
    assert '<td data-label="Pourquoi">Regular business reviews.</td>' in html
    # The columns a change moved between: "De" and "À", not the e-mail's "Destinataire" (the
    # job log's "To", which the column shared).
    assert '<th scope="col">De</th><th scope="col">À</th>' in html
    assert "Destinataire" not in html
