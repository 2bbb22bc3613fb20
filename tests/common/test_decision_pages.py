"""Every decision button refuses a stale decision, generated from the URL conf.

A decision view (its URL name ends like `DECISION_VIEW`: approve, return, refuse, submit,
status, decide, cancel, apply, complete, select, deselect, reclassify, archive, restore…)
acts on something another person can change. Each one must be listed in `CASES` (how to
bring its page to the state that shows the button, who clicks it, what else the form needs)
or in `NOT_DECISIONS` with the reason, so a new decision view fails this test until it has
the check. For each case the test opens the page, finds the form that posts to the view,
checks that it carries the revision its page showed (hidden `revision`, filled), and sends it
with a revision the thing does not have: the answer must be the conflict (HTTP 409, what the
page showed beside what is stored now) and nothing may have been applied — the page opened
again still shows the same form at the same revision.
"""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.urls import resolve, reverse
from django.utils import timezone

from accounts.models import Role
from delivery.models import CheckIn
from planning import services as plan_services
from planning.models import Review
from tests import factories as f
from tests.common.test_conflict_pages import DECISION_VIEW, form_data, parse_forms, revision_in
from tests.html_checks import page_problems
from tests.security.test_permission_matrix import ALL_URLS
from tests.security.url_objects import current_plan

# Decision views that do not decide on a version someone else edits, each with the reason.
NOT_DECISIONS = {
    "audit:restore": "puts back a deleted item; refused when it exists again",
    "audit:undo_removal": "puts back one's own deletion; refused when it exists again",
    "discovery:stakeholder_archive": "reversible (Restore) and keeps every field as it is",
    "discovery:stakeholder_restore": "reversible (Archive) and keeps every field as it is",
    "strategy:criterion_archive": "reversible and keeps the criterion's text and weight",
    "opportunities:offering_archive": "reversible and keeps the offering's text and prices",
    "organisation:mentoring_step_action": "turns a step into a plan action once; a second "
    "click is refused as done",
    "password_reset_complete": "a page of Django's password reset, no decision",
    "rhythm:annual_review_complete": "records that the programme's annual review took place "
    "and the next date; it decides on no row another person edits",
}


# ---- bringing each page to the state that shows its decision button ----------------------


def _plan(account, people, *, submitted):
    plan = current_plan(account)
    plan.value_proposition = "Fewer, larger deliveries."
    plan.save()
    f.add_required_parts(plan, owner=people.manager)
    if submitted:
        plan_services.plan_submit(plan=plan, acting_user=people.manager)
    return reverse("planning:plan", args=[account.pk])


def _quote(account, people, percent):
    quote = f.QuoteFactory(key_account=account, overall_discount_percent=Decimal(percent))
    f.QuoteLineFactory(quote=quote)
    return quote.get_absolute_url()


def _opportunity(account, people):
    opportunity = f.OpportunityFactory(key_account=account, status="qualified")
    return reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk])


def _check_in(account, people):
    opportunity = f.OpportunityFactory(key_account=account, status="pursuing", decision="pursue")
    CheckIn.objects.create(
        opportunity=opportunity,
        checked_on=timezone.localdate(),
        status="won",
        recorded_by=people.coordinator,
    )
    return reverse("delivery:progress", args=[account.pk])


def _meeting(account, people):
    return f.MeetingFactory(key_account=account).get_absolute_url()


def _review(account, people):
    plan = current_plan(account)
    today = timezone.localdate()
    review = Review.objects.create(
        plan=plan, quarter="2026-Q4", opened_on=today, due_on=today + timedelta(days=30)
    )
    return reverse("rhythm:review", args=[account.pk, review.pk])


def _customer_proposal(account, people):
    from workspace.models import CustomerProposal

    proposal = CustomerProposal.objects.create(
        key_account=account,
        stakeholder=f.StakeholderFactory(key_account=account),
        title="Vendor-managed stock",
        need="Fewer manual reorders.",
        benefit="No line stops.",
        submitted_at=timezone.now(),
    )
    return reverse("workspace_team:proposal", args=[account.pk, proposal.pk])


def _candidate(account, people):
    customer = f.CustomerFactory(name="Candidate Foods")
    return reverse("strategy:customer_select", args=[customer.pk])


# view -> (page setup(account, people) -> url, who clicks, what the form also needs typed)
CASES = {
    "planning:submit": (lambda a, p: _plan(a, p, submitted=False), "manager", {}),
    "planning:approve": (lambda a, p: _plan(a, p, submitted=True), "director", {}),
    "planning:return": (
        lambda a, p: _plan(a, p, submitted=True),
        "director",
        {"comment": "Add a risk"},
    ),
    "delivery:quote_approve": (lambda a, p: _quote(a, p, "15"), "director", {}),
    "delivery:quote_refuse": (lambda a, p: _quote(a, p, "15"), "director", {"reason": "Deep"}),
    "delivery:quote_status": (lambda a, p: _quote(a, p, "5"), "coordinator", {}),
    "delivery:meeting_cancel": (_meeting, "coordinator", {"reason": "Clash"}),
    "delivery:check_in_apply": (_check_in, "manager", {}),
    "opportunities:opportunity_decide": (
        _opportunity,
        "manager",
        {"decision": "drop", "reason": "Too small"},
    ),
    "rhythm:review_complete": (_review, "manager", {"decision": "keep"}),
    "workspace_team:proposal_decide": (
        _customer_proposal,
        "manager",
        {"decision": "decline", "reply": "Not for us"},
    ),
    "strategy:customer_select": (
        _candidate,
        "director",
        {"classification": "star", "rationale": "Growing fast"},
    ),
    "strategy:account_deselect": (
        lambda a, p: reverse("strategy:account_deselect", args=[a.pk]),
        "director",
        {"reason": "Volumes moved to a competitor"},
    ),
    "strategy:account_reclassify": (
        lambda a, p: reverse("strategy:account_reclassify", args=[a.pk]),
        "director",
        {"classification": "streamline", "reason": "Lower spend"},
    ),
}


def _decision_views():
    return {name for name in ALL_URLS if DECISION_VIEW.search(name.split(":")[-1])}


def test_every_decision_view_has_a_case_or_a_reason():
    views = _decision_views()
    missing = sorted(views - set(CASES) - set(NOT_DECISIONS))
    assert not missing, (
        "decision views without a stale-decision check here (add a case to CASES, or say in "
        f"NOT_DECISIONS why they decide on nothing another person edits): {missing}"
    )
    stale = sorted((set(CASES) | set(NOT_DECISIONS)) - set(ALL_URLS))
    assert not stale, f"entries for URLs that no longer exist: {stale}"


def _decision_form(html, page_url, view):
    for form in parse_forms(html).forms:
        action = form["action"] or page_url
        if form["method"] == "post" and resolve(urlsplit(action).path).view_name == view:
            return form, action
    return None, None


def _stale_decision_refused(client, view, people, account) -> list[str]:
    setup, who, typed = CASES[view]
    url = setup(account, people)
    client.force_login(getattr(people, who))
    html = client.get(url).content.decode()
    form, action = _decision_form(html, url, view)
    if form is None:
        return [f"{view}: no form posting to it on {url} as {who}"]
    revision = revision_in(form)
    if revision is None or revision["value"] == "":
        return [f"{view}: its form on {url} carries no revision"]
    seen = revision["value"]
    data = form_data(form, **{k: str(v) for k, v in typed.items()})
    if view == "strategy:customer_select":
        data.update(director=[str(people.director.pk)], manager=[str(people.manager.pk)])
    data[revision["name"]] = [str(int(seen) + 1000)]  # a version the page never showed
    response = client.post(action, data)
    if response.status_code != 409:
        return [f"{view}: a stale decision answered {response.status_code}, want 409"]
    answer = response.content.decode()
    problems = []
    if "Edit conflict." not in answer or 'id="conflict-yours-title"' not in answer:
        problems.append(f"{view}: the 409 page does not show both versions")
    problems += [f"{view}: 409 page: {p}" for p in page_problems(answer)]
    again, _ = _decision_form(client.get(url).content.decode(), url, view)
    if again is None or revision_in(again)["value"] != seen:
        problems.append(f"{view}: the stale decision was applied")
    return problems


def _fresh_account(people, n):
    """An account of its own for each case (one case submits the plan another approves)."""
    account = f.KeyAccountFactory(customer__name=f"Decision Foods {n}")
    for user, role in (
        (people.director, Role.DIRECTOR),
        (people.manager, Role.MANAGER),
        (people.coordinator, Role.COORDINATOR),
        (people.team_member, Role.TEAM_MEMBER),
    ):
        f.MembershipFactory(user=user, key_account=account, role=role)
    return account


def test_every_decision_refuses_a_stale_page_and_applies_nothing(client, people):
    failures = []
    for n, view in enumerate(sorted(CASES)):
        failures += _stale_decision_refused(client, view, people, _fresh_account(people, n))
    assert not failures, "\n".join(failures)
