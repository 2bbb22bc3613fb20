"""Django admin pages as a superuser sees them, for tests that save through the admin
(the edit-conflict check of admin change forms, the stored figures an admin correction keeps
right)."""

from django.test import Client

from tests import factories as f
from tests.common.test_conflict_pages import parse_forms


def superuser_client() -> Client:
    """A client signed in as a new superuser."""
    client = Client()
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def admin_change_form(client, url):
    """The change form at `url` (parsed: method, action, controls) and the page's HTML."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    return admin_form(html), html


def admin_form(html):
    """The change form (the admin header also has a POST form: log out)."""
    return next(form for form in parse_forms(html).forms if _has_csrf_and_fields(form))


def _has_csrf_and_fields(form) -> bool:
    names = {control["name"] for control in form["controls"]}
    return form["method"] == "post" and len(names - {"csrfmiddlewaretoken"}) > 1
