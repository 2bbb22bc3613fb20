"""Saving an edit of something another tab removed: a 410 page that says who removed it and
when, keeps what was typed, and offers to add it as new or put it back — for members of the
account only (anyone else keeps the bare 404). Plus the rule that keeps it generic: every edit
view of a removable object is covered (audit/removed.py)."""

import re

from django.test import Client
from django.urls import reverse

from audit.removed import NOT_REMOVABLE, REMOVABLE_EDITS
from discovery.models import FinancialRatio
from planning.models import Objective
from tests.common.test_conflict_pages import EDIT_VIEW
from tests.conftest import ROOT
from tests.factories import AccountPlanFactory, ObjectiveFactory
from tests.security.test_permission_matrix import ALL_URLS


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ratio(account):
    return FinancialRatio.objects.create(
        key_account=account, name="EBITDA margin %", value=8, year=2025
    )


def test_saving_a_ratio_another_tab_removed_keeps_the_typed_text_and_offers_to_add_it(
    account, people
):
    ratio = _ratio(account)
    edit = reverse("discovery:ratio_edit", args=[account.pk, ratio.pk])
    manager, other_tab = login(people.manager), login(people.director)
    assert manager.get(edit).status_code == 200
    other_tab.post(reverse("discovery:ratio_delete", args=[account.pk, ratio.pk]))
    assert not FinancialRatio.objects.filter(pk=ratio.pk).exists()

    typed = {"name": "EBITDA margin after the price rise %", "value": "9.5", "year": "2025"}
    response = manager.post(edit, {**typed, "revision": "0"})

    assert response.status_code == 410
    html = response.content.decode()
    assert "was removed while you were editing" in html
    assert "removed by Dana Director on" in html
    assert "EBITDA margin after the price rise %" in html  # kept, to copy
    add = reverse("discovery:ratio_create", args=[account.pk])
    assert f'action="{add}"' in html
    # "Add it as new" sends the same input to the add view: it is saved as a new ratio.
    form = html.split(f'action="{add}"')[1].split("</form>")[0]
    sent = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    assert "revision" not in sent
    assert manager.post(add, sent).status_code == 302
    assert FinancialRatio.objects.get(key_account=account).name == typed["name"]


def test_a_save_from_an_editor_in_place_is_answered_with_the_page_in_place_of_the_content(
    account, people
):
    """htmx left a 410 unswapped: the Save click of an editor in place did nothing at all.
    The answer names the page's content as its target (static/js/inplace.js swaps a 410)."""
    ratio = _ratio(account)
    edit = reverse("discovery:ratio_edit", args=[account.pk, ratio.pk])
    manager = login(people.manager)
    login(people.director).post(reverse("discovery:ratio_delete", args=[account.pk, ratio.pk]))

    response = manager.post(
        edit,
        {"name": "Current ratio", "value": "1.4", "year": "2025", "revision": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="ratios",
    )

    assert response.status_code == 410
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reselect"] == "#main"
    assert response["HX-Reswap"].startswith("outerHTML")
    html = response.content.decode()
    assert '<main id="main"' in html
    assert "was removed while you were editing" in html and "Current ratio" in html
    # A plain form post (no JavaScript) gets the page as before, without the htmx headers.
    plain = manager.post(edit, {"name": "Current ratio", "value": "1.4", "year": "2025"})
    assert plain.status_code == 410 and "HX-Retarget" not in plain


def test_the_in_place_script_swaps_a_410():
    script = (ROOT / "static" / "js" / "inplace.js").read_text()
    assert '{ code: "410", swap: true, error: false }' in script
    assert script.index('code: "410"') < script.index('code: "[45].."')


def test_your_own_removal_of_a_plan_item_offers_undo(account, people):
    plan = AccountPlanFactory(key_account=account)
    objective = ObjectiveFactory(plan=plan, owner=people.manager, title="Grow chilled")
    manager = login(people.manager)
    remove = reverse("planning:item_remove", args=[account.pk, "objective", objective.pk])
    manager.post(remove, {"confirm": "yes"})
    assert not Objective.objects.filter(pk=objective.pk).exists()

    edit = reverse("planning:item_edit", args=[account.pk, "objective", objective.pk])
    response = manager.post(edit, {"title": "Grow chilled by 20 %", "revision": "0"})

    assert response.status_code == 410
    html = response.content.decode()
    assert "Grow chilled by 20 %" in html
    undo = reverse("audit:undo_removal", args=[account.pk, "objective", objective.pk])
    assert f'action="{undo}"' in html and "Undo the removal" in html
    manager.post(undo)
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_outsiders_and_other_accounts_members_still_get_404(account, other_account, people):
    ratio = _ratio(account)
    login(people.director).post(reverse("discovery:ratio_delete", args=[account.pk, ratio.pk]))
    edit = reverse("discovery:ratio_edit", args=[account.pk, ratio.pk])
    assert login(people.outsider).post(edit, {"name": "x"}).status_code == 404
    # A member of `account` trying the removed ratio's id under another account, and an id
    # never used: nothing is said.
    member = login(people.manager)
    elsewhere = reverse("discovery:ratio_edit", args=[other_account.pk, ratio.pk])
    assert member.post(elsewhere, {"name": "x"}).status_code == 404
    never = reverse("discovery:ratio_edit", args=[account.pk, ratio.pk + 1000])
    assert member.post(never, {"name": "x"}).status_code == 404


def test_every_edit_view_of_an_object_is_covered_or_says_why_not():
    """A new edit view with an object id in its URL must be listed in audit/removed.py
    (REMOVABLE_EDITS) or in NOT_REMOVABLE with the reason."""
    ids = re.compile(r"(^|_)(id|pk)$")
    edit_views = {
        name
        for name, pattern in ALL_URLS.items()
        if EDIT_VIEW.search(name.split(":")[-1]) or name.endswith(("_notes", "_progress"))
        if any(ids.search(arg) and arg != "account_id" for arg in pattern.pattern.converters)
    }
    missing = sorted(edit_views - set(REMOVABLE_EDITS) - set(NOT_REMOVABLE))
    assert not missing, f"edit views of an object, not covered by audit/removed.py: {missing}"
    stale = sorted((set(REMOVABLE_EDITS) | set(NOT_REMOVABLE)) - set(ALL_URLS))
    assert not stale, f"audit/removed.py names views that no longer exist: {stale}"


def test_what_was_typed_is_labelled_and_shown_as_the_form_showed_it(account, people):
    """The labels are the form's, in the reader's language, a choice reads as its label and a
    chosen person as their name; a record of another account sent by hand stays a number."""
    from discovery.models import Stakeholder
    from tests.factories import StakeholderFactory

    person = StakeholderFactory(key_account=account, name="Sabine Koch")
    edit = reverse("discovery:stakeholder_edit", args=[account.pk, person.pk])
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    manager = login(people.manager)
    Stakeholder.objects.filter(pk=person.pk).delete()
    response = manager.post(
        edit,
        {
            "name": "Sabine Koch",
            "title": "Head of quality",
            "influence": "high",
            "owner": str(people.team_member.pk),
            "reports_to": str(people.outsider.pk),
            "revision": "0",
        },
    )
    assert response.status_code == 410
    html = response.content.decode()
    rows = dict(
        re.findall(r'<label[^>]*for="typed-\d+">([^<]*)</label>\s*<textarea[^>]*>([^<]*)<', html)
    )
    assert rows["Influence"] == "Élevée"
    assert rows["Notre responsable de la relation"] == str(people.team_member)
    assert rows["Rend compte à"] == str(people.outsider.pk)  # not this account's: not named
    assert "Owner" not in rows and "Kam" not in html
