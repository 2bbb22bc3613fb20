"""Forms whose fields had no label showed Django's English name of the field ("Name",
"Scope") on French pages: the API token form, read in French."""

from django.urls import reverse


def test_the_token_form_labels_its_fields_in_french(client_for, people):
    html = (
        client_for(people.manager)
        .get(reverse("api:tokens"), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert " Nom<span " in html
    assert " Portée<span " in html
    for english in ("Name<span", "Scope<span"):
        assert english not in html, english
