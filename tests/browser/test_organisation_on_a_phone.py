"""The organisation's tables on a 390 px phone: the account team, the allocation advice and
the mentoring log ran past the screen inside a sideways scroll (a director could not see the
Edit and Remove buttons of a team member, the advice or the Reassign button). Each row is a
card now, every column named beside its value."""

import pytest

from accounts.models import Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.organisation.factories import MentoringNextStepFactory, MentoringSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _on_screen(locator, name=""):
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, name


def test_the_directors_organisation_tables_fit_a_phone(page, people, account):
    analyst = UserFactory(username="amara", first_name="Amara", last_name="Okafor")
    MembershipFactory(user=analyst, key_account=account, role=Role.TEAM_MEMBER)
    session = MentoringSessionFactory(
        director=people.director, manager=people.manager, key_account=account
    )
    MentoringNextStepFactory(session=session)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.get_by_label("Username").fill(people.director.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"/accounts/{account.pk}/team/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("Edit Amara Okafor", "Remove Amara Okafor"):
        _on_screen(page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)))
    share = page.locator("td[data-label='Time on this account']").first
    _on_screen(share, "share")
    assert share.evaluate("cell => getComputedStyle(cell, '::before').content") == (
        '"Time on this account"'
    )

    page.goto("/allocation/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _on_screen(page.get_by_role("link", name="Reassign Northwind Foods"), "reassign")
    _on_screen(page.locator("td[data-label='Advice']").first, "advice")

    page.goto("/mentoring/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    steps = page.locator("td[data-label='Next steps']").first
    _on_screen(steps, "next steps")
    assert "1" in steps.inner_text()
