"""Django admin change forms take part in the edit-conflict check (common.conflicts).

A stale admin save is refused with the saved values shown; an admin save moves the revision,
so an app form opened before it gets the 409; nobody can type a counter back.
"""

import re

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from common.conflicts import RevisionAdminMixin, RevisionInlineMixin
from discovery.models import Stakeholder
from planning.services import SECTIONS
from tests import factories as f
from tests.admin_pages import admin_change_form, admin_form, superuser_client
from tests.common.test_conflict_pages import form_data, parse_forms, revision_in, section_of


def _has_revision(model) -> bool:
    return any(field.name == "revision" for field in model._meta.get_fields())


def test_every_admin_of_a_model_with_a_revision_checks_it():
    unchecked = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if _has_revision(model) and not isinstance(model_admin, RevisionAdminMixin)
    ]
    inlines = [
        inline.model._meta.label
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if _has_revision(inline.model) and not issubclass(inline, RevisionInlineMixin)
    ]
    assert not unchecked, f"admins without RevisionAdminMixin: {unchecked}"
    assert not inlines, f"inlines without RevisionInlineMixin: {inlines}"


def _app_edit_form(client, url):
    html = client.get(url).content.decode()
    return next(form for form in parse_forms(html).forms if revision_in(form) is not None)


def test_a_stale_admin_save_is_refused_with_the_saved_values(client, people, account):
    stakeholder = f.StakeholderFactory(key_account=account, title="Buyer", notes="Original")
    admin_client = superuser_client()
    admin_url = reverse("admin:discovery_stakeholder_change", args=[stakeholder.pk])
    stale, _ = admin_change_form(admin_client, admin_url)
    assert revision_in(stale)["value"] == "0"
    assert "revision" not in {c["name"] for c in stale["controls"] if c["type"] != "hidden"}

    # Meanwhile the director changes the title in the app.
    client.force_login(people.director)
    app_url = reverse("discovery:stakeholder_edit", args=[account.pk, stakeholder.pk])
    app_form = _app_edit_form(client, app_url)
    saved = client.post(app_url, form_data(app_form, title="Chief procurement officer"))
    assert saved.status_code == 302

    refused = admin_client.post(admin_url, form_data(stale, notes="Typed in the admin"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Someone else saved this while you were editing." in html
    assert "Their saved values: Title: Chief procurement officer; Notes: Original." in html
    stakeholder.refresh_from_db()
    assert (stakeholder.title, stakeholder.notes) == ("Chief procurement officer", "Original")
    assert stakeholder.revision == 1

    # The refused page keeps the input with the saved revision: saving again replaces theirs.
    again = admin_form(html)
    assert form_data(again)["notes"] == ["Typed in the admin"]
    assert revision_in(again)["value"] == "1"
    assert admin_client.post(admin_url, form_data(again)).status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.notes, stakeholder.revision) == ("Typed in the admin", 2)


def test_an_admin_save_moves_the_revision_so_a_stale_app_form_gets_the_conflict(
    client, people, account
):
    stakeholder = f.StakeholderFactory(key_account=account, notes="Original")
    client.force_login(people.director)
    app_url = reverse("discovery:stakeholder_edit", args=[account.pk, stakeholder.pk])
    app_form = _app_edit_form(client, app_url)
    assert revision_in(app_form)["value"] == "0"

    admin_client = superuser_client()
    admin_url = reverse("admin:discovery_stakeholder_change", args=[stakeholder.pk])
    fresh, _ = admin_change_form(admin_client, admin_url)
    # A revision typed into the admin's POST is not a field of the row: it cannot move back.
    saved = admin_client.post(admin_url, form_data(fresh, notes="Typed in the admin"))
    assert saved.status_code == 302
    assert Stakeholder.objects.get(pk=stakeholder.pk).revision == 1

    stale = client.post(app_url, form_data(app_form, title="Typed in the app"))
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Typed in the admin" in section_of(html, "conflict-title")
    assert "Typed in the app" in section_of(html, "conflict-yours-title")
    assert Stakeholder.objects.get(pk=stakeholder.pk).notes == "Typed in the admin"


def test_an_admin_save_of_a_plan_moves_every_section_counter(account):
    plan = f.AccountPlanFactory(key_account=account, section_revisions={"swot": 3})
    admin_client = superuser_client()
    url = reverse("admin:planning_accountplan_change", args=[plan.pk])
    form, _ = admin_change_form(admin_client, url)
    assert "section_revisions" not in {c["name"] for c in form["controls"]}
    response = admin_client.post(url, form_data(form, value_proposition="Changed in the admin"))
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    expected = {key: (4 if key == "swot" else 1) for key in SECTIONS}
    assert (plan.revision, plan.section_revisions) == (1, expected)


def test_naming_the_sponsor_in_the_admin_makes_an_open_sponsor_form_stale(client, people, account):
    client.force_login(people.director)
    team_url = reverse("organisation:team", args=[account.pk])
    html = client.get(team_url).content.decode()
    action = reverse("organisation:sponsor_set", args=[account.pk])
    sponsor_form = next(form for form in parse_forms(html).forms if form["action"] == action)
    assert revision_in(sponsor_form)["value"] == "0"

    admin_client = superuser_client()
    add_url = reverse("admin:organisation_executivesponsor_add")
    form, _ = admin_change_form(admin_client, add_url)
    data = form_data(
        form,
        key_account=str(account.pk),
        user=str(people.executive.pk),
        named_on=timezone.localdate().isoformat(),
        named_by=str(people.programme_admin.pk),
    )
    added = admin_client.post(add_url, data)
    assert added.status_code == 302, re.findall(r"errorlist.*?</ul>", added.content.decode())
    account.refresh_from_db()
    assert account.sponsor_revision == 1

    stale = client.post(action, form_data(sponsor_form, user=""))
    assert stale.status_code == 409
    assert "Elena Executive" in section_of(stale.content.decode(), "conflict-title")


def test_a_stale_admin_inline_row_is_refused_with_the_saved_values(account):
    """Inline rows carry their revision too: a target changed in the app after the objective's
    admin page was opened is not overwritten from that page's inline row (which Django would
    save, its values differing from the stored ones), whether or not it was typed in."""
    plan = f.AccountPlanFactory(key_account=account)
    objective = f.ObjectiveFactory(plan=plan, title="Grow chilled")
    target = f.TargetFactory(objective=objective, kpi="Chilled revenue")
    admin_client = superuser_client()
    url = reverse("admin:planning_objective_change", args=[objective.pk])
    stale, _ = admin_change_form(admin_client, url)
    row = next(c["name"] for c in stale["controls"] if c["name"].endswith("-kpi"))
    assert form_data(stale)[row.replace("-kpi", "-revision")] == ["0"]

    # Meanwhile the target's KPI is changed in the app (which moves its revision on).
    type(target).objects.filter(pk=target.pk).update(kpi="Chilled volume", revision=1)

    for typed in ({}, {row: "Typed in the admin"}):
        refused = admin_client.post(url, form_data(stale, title="Grow chilled fast", **typed))
        assert refused.status_code == 200
        html = refused.content.decode()
        assert "Someone else saved this while you were editing." in html
        assert "Chilled volume" in html.split("Their saved values:")[1].split("</")[0]
        target.refresh_from_db()
        assert (target.kpi, target.revision) == ("Chilled volume", 1)

    # The refused page carries the saved revision: saving it again replaces theirs knowingly.
    again = admin_form(html)
    assert form_data(again)[row.replace("-kpi", "-revision")] == ["1"]
    assert admin_client.post(url, form_data(again)).status_code == 302
    target.refresh_from_db()
    assert (target.kpi, target.revision) == ("Typed in the admin", 2)
