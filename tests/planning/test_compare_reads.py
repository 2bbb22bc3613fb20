"""Comparing two versions reads like the plan page: figures, dates, levels and yes/no in the
reader's language (the compare page showed '24.00 → 30.00', '2027-08-03', 'medium → low',
'False → True' and 'the live plan' on a French page), and it names every change the plan page
shows: a stakeholder's buying role or relationship owner, an opportunity's annual value or
owner, the objective or opportunity an action serves (these changed unseen)."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

from django.urls import reverse

from accounts.models import Membership, Role
from planning import services
from planning.models import AccountPlan
from tests.factories import ObjectiveFactory, TargetFactory

NBSP = "\u00a0"


def _rows(html: str) -> list[list[str]]:
    """The compare tables' rows as the reader reads their cells."""
    rows = []
    for row in re.findall(r"(?s)<tr>(.*?)</tr>", html):
        cells = re.findall(r"(?s)<td>(.*?)</td>", row)
        if cells:
            rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _compare(client, plan, lang, a="1", b="0"):
    url = reverse("planning:version_compare", args=[plan.key_account_id])
    return client.get(url, {"a": a, "b": b}, HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def _approve(plan, people):
    AccountPlan.objects.filter(pk=plan.pk).update(status="submitted")
    services.plan_approve(plan=plan, acting_user=people.director)


def test_compare_writes_figures_dates_levels_and_flags_in_french(client_for, people, full_plan):
    objective = ObjectiveFactory(plan=full_plan, title="Grow the deli range")
    target = TargetFactory(
        objective=objective,
        kpi="Deli revenue",
        baseline=Decimal("1250.50"),
        target_value=Decimal("24"),
        due_on=date(2027, 8, 3),
    )
    risk = full_plan.risks.get()
    risk.likelihood, risk.impact = "low", "low"
    risk.save()
    _approve(full_plan, people)
    target.target_value = Decimal("30000")
    target.due_on = date(2027, 8, 10)
    target.save()
    risk.likelihood, risk.impact = "medium", "high"
    risk.save()
    action = full_plan.actions.get(title="Action 02")
    action.is_internal = True
    action.save()

    html = _compare(client_for(people.manager), full_plan, "fr")
    rows = _rows(html)
    assert ["Deli revenue", "Valeur cible", "24,00", f"30{NBSP}000,00"] in rows
    assert ["", "Échéance", "3 août 2027", "10 août 2027"] in rows
    assert ["Action 02", "Interne", "Non", "Oui"] in rows
    assert ["Competitor undercuts our price", "Probabilité", "Faible", "Moyenne"] in rows
    assert ["", "Impact", "Faible", "Élevé"] in rows
    assert "comparer version approuvée 1 avec le plan en cours" in unescape(html)
    assert "the live plan" not in html and "2027-08-03" not in html and "False" not in html
    # The same page in English.
    rows = _rows(_compare(client_for(people.manager), full_plan, "en"))
    assert ["Deli revenue", "Target value", "24.00", "30,000.00"] in rows
    assert ["", "Due on", "3 Aug 2027", "10 Aug 2027"] in rows
    assert ["Action 02", "Is internal", "No", "Yes"] in rows


def test_compare_names_changes_it_used_to_miss(client_for, people, full_plan):
    _approve(full_plan, people)
    stakeholder = full_plan.key_account.stakeholders.get(name="Stakeholder 00")
    role = stakeholder.buying_role
    stakeholder.buying_role = "gatekeeper" if role != "gatekeeper" else "user"
    stakeholder.owner = people.coordinator
    stakeholder.save()
    opportunity = full_plan.key_account.opportunities.get(title="Pursued opportunity 0")
    opportunity.annual_value = Decimal("150000")
    opportunity.save()
    action = full_plan.actions.get(title="Action 00")
    action.objective = full_plan.objectives.get(title="Objective number 1")
    action.save()

    rows = _rows(_compare(client_for(people.director), full_plan, "en"))
    fields = {(row[0], row[1]) for row in rows}
    [role_row] = [r for r in rows if r[1] == "Buying role"]
    assert role_row[0] == "Stakeholder 00" and role_row[3] in ("Gatekeeper", "User")
    assert ("", "Owner") in fields  # the stakeholder's relationship owner, under its row
    assert ("Pursued opportunity 0", "Annual value") in fields
    assert ["Action 00", "Objective", "Objective number 0", "Objective number 1"] in rows
    [annual] = [r for r in rows if r[1] == "Annual value"]
    assert annual[3] == "150,000.00"


def test_renaming_an_objective_is_one_change_not_one_per_action(client_for, people, full_plan):
    _approve(full_plan, people)
    objective = full_plan.objectives.get(title="Objective number 0")
    objective.title = "Objective number 0, sharper"
    objective.save()
    rows = _rows(_compare(client_for(people.manager), full_plan, "en"))
    assert [
        "Objective number 0, sharper",
        "Title",
        "Objective number 0",
        "Objective number 0, sharper",
    ] in rows
    assert [r for r in rows if r[1] == "Objective"] == []  # its actions still serve it


def test_compare_names_a_reclassification_and_a_new_manager(client_for, people, full_plan):
    """The plan's header prints the account's class, relationship stage, manager and director;
    a quarter's snapshot against the next showed none of them changing."""
    account = full_plan.key_account
    account.classification, account.relationship_stage = "star", "basic"
    account.save()
    _approve(full_plan, people)
    account.classification, account.relationship_stage = "strategic", "cooperative"
    account.save()
    Membership.objects.filter(key_account=account, role=Role.MANAGER).update(
        user=people.other_manager
    )
    rows = _rows(_compare(client_for(people.director), full_plan, "fr"))
    name = people.other_manager.get_full_name()
    assert [account.name, "Classe", "Étoile", "Stratégique"] in rows
    assert ["", "Stade de la relation", "Basique", "Coopératif"] in rows
    assert ["", "Responsable", "Max Manager", name] in rows
