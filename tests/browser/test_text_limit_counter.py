"""A textarea with a limit shows a counter while typing, turns red over the limit, and a
pasted text over the limit is not cut by the browser (no maxlength): the server refuses it
and gives it back whole."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import PROGRAMME_ADMIN_GROUP, Programme
from common.limits import TEXT_MAX_CHARS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counter_warns_and_a_long_paste_comes_back_whole(page):
    admin = UserFactory(username="paula")
    admin.set_password("a-long-enough-password")
    admin.save()
    admin.groups.add(Group.objects.get_or_create(name=PROGRAMME_ADMIN_GROUP)[0])
    Programme.ensure()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/login/")
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill("a-long-enough-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    page.goto("/strategy/edit/")
    rationale = page.locator("textarea[name=rationale]")
    rationale.fill("Why we run it.")
    counter = page.locator("#id_rationale + .form-text")
    assert counter.inner_text() == f"14 of {TEXT_MAX_CHARS:,} characters"
    text = "x" * (TEXT_MAX_CHARS + 10)
    rationale.fill(text)  # as a paste: no maxlength cuts it
    assert "too long to save" in counter.inner_text()
    assert "text-danger" in counter.get_attribute("class")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("textarea[name=rationale]").input_value() == text
    assert f"Ensure this value has at most {TEXT_MAX_CHARS} characters" in page.content()
    assert errors == []


def test_the_counter_speaks_the_pages_language(page):
    admin = UserFactory(username="paule", language="fr")
    admin.set_password("a-long-enough-password")
    admin.save()
    admin.groups.add(Group.objects.get_or_create(name=PROGRAMME_ADMIN_GROUP)[0])
    Programme.ensure()
    page.goto("/login/")
    page.locator("input[name=username]").fill("paule")
    page.locator("input[name=password]").fill("a-long-enough-password")
    page.locator("button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.goto("/strategy/edit/")
    assert page.locator("html").get_attribute("lang") == "fr"
    rationale = page.locator("textarea[name=rationale]")
    rationale.fill("Pourquoi.")
    counter = page.locator("#id_rationale + .form-text")
    # French groups thousands with a narrow no-break space (the browser's own formats).
    limit = f"{TEXT_MAX_CHARS:,}".replace(",", "\u202f")
    assert counter.inner_text() == f"9 sur {limit} caractères"
    rationale.fill("x" * (TEXT_MAX_CHARS + 1))
    over = f"{TEXT_MAX_CHARS + 1:,}".replace(",", "\u202f")
    assert counter.inner_text() == (
        f"{over} sur {limit} caractères\u00a0: trop long pour être enregistré, raccourcissez-le"
    )
