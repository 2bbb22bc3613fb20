"""The organisation's tables on a 390 px phone: the account team, the allocation advice and
the mentoring log ran past the screen inside a sideways scroll (a director could not see the
Edit and Remove buttons of a team member, the advice or the Reassign button). Each row is a
card now, every column named beside its value."""

import pytest

from accounts.models import Role
from tests.browser.helpers import log_in
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
    log_in(page, people.director, width=390)

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


def test_every_competence_name_is_whole_on_the_skills_chart_in_french(page, people, account):
    """The chart's label column had a fixed width: 'Résolution de problèmes en mode conseil'
    lost its first letters past the chart's left edge, on a phone and on a desktop alike."""
    from organisation.defaults import COMPETENCES
    from organisation.models import Competence
    from tests.organisation.factories import SkillsAssessmentFactory

    for position, (code, name, description) in enumerate(COMPETENCES):
        Competence.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    SkillsAssessmentFactory(manager=people.manager, assessed_by=people.director)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390:
            page.goto("/login/")
            page.get_by_label("Username").fill(people.director.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.locator("button[type=submit]").click()
            page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(f"/managers/{people.manager.pk}/")
        labels = page.locator("svg.kam-chart text[text-anchor='end'][font-size='13']")
        names = labels.evaluate_all("texts => texts.map(text => text.textContent)")
        assert "Résolution de problèmes en mode conseil" in names, names
        for i in range(labels.count()):
            box = labels.nth(i).evaluate("text => text.getBBox().x")
            assert box >= 0, (width, names[i], box)
