from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AccountEvent, Classification, KeyAccount
from notifications.models import Notification
from planning.models import AccountPlan, PlanVersion, Review
from rhythm import services
from tests.html_checks import page_problems

from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MembershipFactory,
    StakeholderFactory,
    TargetFactory,
    UserFactory,
)
from .factories import ReviewFactory

SPRING = date(2027, 4, 1)


def _notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# ---- opening ------------------------------------------------------------------------------


def test_two_runs_in_one_quarter_open_one_review_and_notify_once(
    people, plan, other_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reviews_open_for_quarter(today=SPRING)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.reviews_open_for_quarter(today=SPRING + timedelta(days=1))

    assert first == {"plans": 2, "opened": 2, "notified": 4}
    assert second == {"plans": 2, "opened": 0, "notified": 0}
    review = Review.objects.get(plan=plan)
    assert (review.quarter, review.opened_on, review.due_on) == (
        "2027-Q2",
        SPRING,
        date(2027, 5, 1),
    )
    for user in (people.manager, people.director):
        assert _notified(user) == [
            "The 2027-Q2 review of the Northwind Foods plan is open: complete it by 01 May 2027."
        ]
    assert _notified(people.coordinator) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email
        for u in (people.manager, people.director, people.other_manager, people.other_director)
    )
    link = reverse("rhythm:review", args=[plan.key_account_id, review.pk])
    manager_mail = next(m for m in mail.outbox if m.to == [people.manager.email])
    assert link in manager_mail.body and "Northwind Foods" in manager_mail.body


def test_quarter_boundary_opens_a_new_review_only_when_the_quarter_changes(people, plan):
    services.reviews_open_for_quarter(today=date(2027, 3, 31))
    services.reviews_open_for_quarter(today=date(2027, 3, 31))
    assert list(Review.objects.values_list("quarter", flat=True)) == ["2027-Q1"]
    services.reviews_open_for_quarter(today=date(2027, 4, 1))
    assert sorted(Review.objects.values_list("quarter", flat=True)) == ["2027-Q1", "2027-Q2"]


def test_a_missed_quarter_start_is_caught_up_but_only_for_the_current_quarter(people, plan):
    services.reviews_open_for_quarter(today=date(2027, 5, 20))
    review = Review.objects.get()
    assert review.quarter == "2027-Q2"
    assert review.opened_on == date(2027, 5, 20)


def test_archived_plans_and_deselected_accounts_get_no_review(people, plan, other_plan):
    AccountPlan.objects.filter(pk=other_plan.pk).update(is_current=False, status="archived")
    gone = KeyAccountFactory(status=KeyAccount.Status.DESELECTED, deselection_reason="Price only")
    AccountPlanFactory(key_account=gone)
    assert services.reviews_open_for_quarter(today=SPRING)["opened"] == 1
    assert list(Review.objects.values_list("plan", flat=True)) == [plan.pk]


def test_a_review_that_exists_already_is_not_opened_or_announced_again(people, plan):
    """Another run (or a second beat) got there first: the constraint holds, nobody is told
    twice."""
    services.reviews_open_for_quarter(today=SPRING)
    Notification.objects.all().delete()
    # Simulate the race: a run that did not see the other's rows tries the same batch.
    opened, notified = services._open_reviews_batch(
        [(plan.pk, plan.key_account_id)], "2027-Q2", SPRING
    )
    assert (opened, notified) == (0, 0)
    assert Review.objects.count() == 1
    assert not Notification.objects.exists()


@pytest.mark.parametrize("extra_plans", [3, 30])
def test_opening_reviews_costs_the_same_queries_at_two_sizes(
    people, plan, extra_plans, django_assert_max_num_queries
):
    for _ in range(extra_plans):
        account = KeyAccountFactory()
        MembershipFactory(key_account=account, role="manager")
        MembershipFactory(key_account=account, role="director")
        AccountPlanFactory(key_account=account)
    with django_assert_max_num_queries(12):
        counts = services.reviews_open_for_quarter(today=SPRING)
    assert counts["opened"] == extra_plans + 1
    assert Notification.objects.count() == 2 * extra_plans + 2


# ---- escalation ---------------------------------------------------------------------------


def test_reviews_open_after_30_days_escalate_to_the_director_once(
    people, plan, django_capture_on_commit_callbacks
):
    review = ReviewFactory(plan=plan, quarter="2027-Q2", opened_on=SPRING, due_on=date(2027, 5, 1))
    assert services.reviews_escalate_overdue(today=date(2027, 5, 1))["escalated"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.reviews_escalate_overdue(today=date(2027, 5, 2))
    assert counts == {"escalated": 1, "notified": 1}
    review.refresh_from_db()
    assert review.escalated_at is not None
    assert _notified(people.director) == [
        "Escalated: the 2027-Q2 review of the Northwind Foods plan has been open for 31 days "
        "(due 01 May 2027): see that it is completed."
    ]
    assert _notified(people.manager) == []
    assert [m.to for m in mail.outbox] == [[people.director.email]]

    first_escalation = review.escalated_at
    assert services.reviews_escalate_overdue(today=date(2027, 5, 9))["escalated"] == 0
    review.refresh_from_db()
    assert review.escalated_at == first_escalation
    assert len(_notified(people.director)) == 1


def test_a_french_director_reads_the_escalation_and_what_to_do_in_french(
    people, plan, django_capture_on_commit_callbacks
):
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    ReviewFactory(plan=plan, quarter="2027-Q2", opened_on=SPRING, due_on=date(2027, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.reviews_escalate_overdue(today=date(2027, 5, 2))
    # Opened 1 April, escalated 2 May: 31 days.
    text = (
        "Remontée\u00a0: la revue 2027-Q2 du plan Northwind Foods est ouverte depuis 31\u00a0jours "
        "(échéance le 01 mai 2027)\u00a0: veillez à ce qu’elle soit menée à bien."
    )
    assert _notified(people.director) == [text]
    (message,) = mail.outbox
    # The subject keeps the no-break spaces and is cut at an ordinary space, never between
    # "31" and "jours": its 79 characters end with "jours", followed by a space.
    assert message.subject == (
        "KAM Programme\u00a0: Remontée\u00a0: la revue 2027-Q2 du plan Northwind Foods est "
        "ouverte depuis 31\u00a0jours…"
    )
    assert message.body.startswith(text + "\n\n")


def test_completed_reviews_are_not_escalated(people, plan):
    ReviewFactory(plan=plan, opened_on=SPRING, due_on=date(2027, 5, 1), completed_at=timezone.now())
    assert services.reviews_escalate_overdue(today=date(2027, 6, 1))["escalated"] == 0


# ---- the review page ----------------------------------------------------------------------


def test_review_page_walks_through_targets_actions_stakeholders_and_stage(client_for, people, plan):
    TargetFactory(objective__plan=plan, kpi="Share of wallet")
    ActionFactory(
        plan=plan, title="Send the cost analysis", due_on=timezone.localdate() - timedelta(days=3)
    )
    StakeholderFactory(key_account=plan.key_account, name="Ines Kaufmann", influence="high")
    review = ReviewFactory(plan=plan)
    response = client_for(people.coordinator).get(
        reverse("rhythm:review", args=[plan.key_account_id, review.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not page_problems(page)
    for text in (
        "Targets against actuals",
        "Share of wallet",
        "Overdue actions (1)",
        "Send the cost analysis",
        "Opportunities’ progress",
        "Ines Kaufmann",
        "nobody meets them in the engagement plan",
        "Relationship stage",
    ):
        assert text in page, text
    # A coordinator reads; only the manager or director completes it.
    assert "Complete the review" not in page
    manager_page = client_for(people.manager).get(
        reverse("rhythm:review", args=[plan.key_account_id, review.pk])
    )
    assert "Complete the review" in manager_page.content.decode()


def test_review_list_shows_status_and_decision(client_for, people, plan):
    ReviewFactory(plan=plan, quarter="2027-Q1")
    ReviewFactory(
        plan=plan,
        quarter="2027-Q2",
        completed_at=timezone.now(),
        completed_by=people.manager,
        decision="keep",
    )
    page = (
        client_for(people.team_member)
        .get(reverse("rhythm:reviews", args=[plan.key_account_id]))
        .content.decode()
    )
    assert "2027-Q1" in page and "2027-Q2" in page
    assert "Completed" in page and "Keep class" in page


# ---- completing ---------------------------------------------------------------------------


def _complete_url(review):
    return reverse("rhythm:review_complete", args=[review.plan.key_account_id, review.pk])


def test_manager_completes_review_with_class_proposal(
    client_for, people, plan, django_capture_on_commit_callbacks
):
    review = ReviewFactory(plan=plan, quarter="2027-Q2")
    client = client_for(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _complete_url(review),
            {
                "decision": "change_class",
                "proposed_class": "status",
                "comments": "Growth has stalled; keep investing but less.",
            },
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.completed_by == people.manager
    assert (review.decision, review.proposed_class) == ("change_class", "status")
    version = PlanVersion.objects.get(plan=plan)
    assert (version.number, version.kind) == (1, "review")
    assert version.snapshot["version"]["comment"] == "Growth has stalled; keep investing but less."
    event = AccountEvent.objects.get(key_account=plan.key_account, kind=AccountEvent.Kind.REVIEW)
    assert "Propose class change to Status (review snapshot 1)" in event.summary
    assert _notified(people.director) == [
        "Max Manager proposes a change to Status for Northwind Foods in the 2027-Q2 review."
    ]
    assert [m.to for m in mail.outbox] == [[people.director.email]]
    page = client.get(response["Location"]).content.decode()
    assert "saved as review snapshot 1 (a review is not an approval)" in page


def test_review_snapshots_are_numbered_apart_from_approvals(people, plan):
    from planning.services import plan_approve, plan_submit
    from tests.factories import add_required_parts

    add_required_parts(plan, owner=people.manager)
    plan_submit(plan=plan, acting_user=people.manager)
    plan_approve(plan=plan, acting_user=people.director)
    outcome = services.review_complete(
        review=ReviewFactory(plan=plan), decision="keep", acting_user=people.director
    )
    assert outcome.version.number == 1
    assert list(plan.versions.values_list("kind", "number")) == [
        ("review", 1),
        ("approval", 1),
    ]
    second = services.review_complete(
        review=ReviewFactory(plan=plan, quarter="2027-Q3"),
        decision="keep",
        acting_user=people.manager,
    )
    assert (second.version.kind, second.version.number) == ("review", 2)
    assert second.version.snapshot["version"]["quarter"] == "2027-Q3"


def test_keeping_the_class_notifies_nobody(client_for, people, plan):
    review = ReviewFactory(plan=plan)
    response = client_for(people.director).post(_complete_url(review), {"decision": "keep"})
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_a_proposal_needs_a_class_and_a_reason(client_for, people, plan):
    review = ReviewFactory(plan=plan)
    client = client_for(people.manager)
    response = client.post(
        _complete_url(review), {"decision": "change_class", "comments": "Growing fast"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the class you propose." in page
    assert "Growing fast" in page  # what the user typed is kept
    response = client.post(
        _complete_url(review), {"decision": "change_class", "proposed_class": "strategic"}
    )
    assert "That is the account&#x27;s class already" in response.content.decode()
    response = client.post(_complete_url(review), {"decision": "deselect"})
    assert "Say why" in response.content.decode()
    review.refresh_from_db()
    assert review.completed_at is None
    assert not PlanVersion.objects.exists()


def test_a_review_is_completed_once(client_for, people, plan):
    review = ReviewFactory(plan=plan)
    client_for(people.manager).post(_complete_url(review), {"decision": "keep"})
    response = client_for(people.director).post(
        _complete_url(review), {"decision": "deselect", "comments": "Only wants price"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.completed_by) == ("keep", people.manager)
    assert PlanVersion.objects.count() == 1


def test_a_review_of_another_account_is_404_under_this_account(
    client_for, people, plan, other_plan
):
    theirs = ReviewFactory(plan=other_plan)
    url = reverse("rhythm:review", args=[plan.key_account_id, theirs.pk])
    assert client_for(people.director).get(url).status_code == 404
    stranger = UserFactory()
    assert client_for(stranger).get(url).status_code == 404


def test_a_class_proposal_leads_the_director_to_carry_it_out(client_for, people, plan):
    review = ReviewFactory(plan=plan, quarter="2027-Q3")
    account = plan.key_account
    services.review_complete(
        review=review,
        decision="change_class",
        proposed_class="status",
        comments="Growth has stalled.",
        acting_user=people.manager,
    )
    url = reverse("rhythm:review", args=[account.pk, review.pk])
    reclassify = reverse("strategy:account_reclassify", args=[account.pk])
    manager_page = client_for(people.manager).get(url).content.decode()
    assert "Waiting for the account's director" in manager_page
    assert reclassify not in manager_page
    director = client_for(people.director)
    page = director.get(url).content.decode()
    assert f"{reclassify}?to=status" in page and "Re-classify as Status…" in page
    form = director.get(reclassify, {"to": "status"}).context["form"]
    assert form.initial["classification"] == "status"
    director.post(reclassify, {"classification": "status", "reason": "Quarterly review."})
    done = director.get(url).content.decode()
    assert "Carried out: the account is now Status." in done
    assert reclassify not in done


def test_a_deselection_proposal_links_to_deselection_for_the_director(client_for, people, plan):
    review = ReviewFactory(plan=plan, quarter="2027-Q4")
    services.review_complete(
        review=review,
        decision="deselect",
        proposed_class="",
        comments="They are moving production to Asia.",
        acting_user=people.manager,
    )
    url = reverse("rhythm:review", args=[plan.key_account_id, review.pk])
    page = client_for(people.director).get(url).content.decode()
    assert reverse("strategy:account_deselect", args=[plan.key_account_id]) in page


def test_review_list_explains_due_dates_the_way_they_are_set(client_for, people, account):
    # A review caught up mid-quarter (opened 14 Nov, due 14 Dec) contradicted the page's
    # "opens on the first day of the quarter".
    plan = AccountPlanFactory(key_account=account)
    ReviewFactory(plan=plan, quarter="2026-Q4", opened_on=date(2026, 11, 14))
    html = client_for(people.manager).get(reverse("rhythm:reviews", args=[account.pk]))
    text = html.content.decode()
    assert "14 Nov 2026" in text and "14 Dec 2026" in text
    assert "due 30 days after it opens" in text
    assert "opens on the first day of the quarter" not in text


def test_a_proposed_class_is_named_in_the_readers_language(client_for, people, plan):
    """The review page, the review list and the director's decisions name the proposed class
    as the class list does ('Étoile' in French), not by its stored value ('Star')."""
    review = ReviewFactory(plan=plan, quarter="2027-Q3")
    account = plan.key_account
    services.review_complete(
        review=review,
        decision="change_class",
        proposed_class="star",
        comments="Board-level access won.",
        acting_user=people.manager,
    )
    with translation.override("fr"):
        french = str(Classification.STAR.label)
    assert french == "Étoile"
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    director = client_for(people.director)
    detail = director.get(reverse("rhythm:review", args=[account.pk, review.pk])).content.decode()
    listing = director.get(reverse("rhythm:reviews", args=[account.pk])).content.decode()
    dashboard = director.get(reverse("portfolio:dashboard")).content.decode()
    for page in (detail, listing, dashboard):
        assert french in page
    assert "<strong>Star</strong>" not in detail and "(Star)" not in listing
