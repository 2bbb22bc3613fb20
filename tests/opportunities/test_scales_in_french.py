"""A score's scale under its field, read in French: its steps are separated by " ; " with a
no-break space before the semicolon, as French writes a list (was a plain "; ")."""

from django.urls import reverse

NBSP = "\u00a0"


def test_the_effort_scale_is_listed_the_french_way(client_for, people, account):
    html = (
        client_for(people.manager)
        .get(
            reverse("opportunities:opportunity_create", args=[account.pk]),
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        .content.decode()
    )
    assert f"1 = Quelques jours d'une personne{NBSP}; 2 = " in html
    assert "personne; 2 =" not in html
