"""A quarterly review's snapshot is not an approval: it is listed, printed, compared and told on
the timeline as a review snapshot, numbered apart from approved versions."""

import io
from datetime import date

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AccountEvent
from planning import services
from planning.models import AccountPlan, PlanVersion
from rhythm import services as rhythm_services
from tests.rhythm.factories import ReviewFactory

from ..factories import ActionFactory


def _review(plan, people, quarter="2027-Q2"):
    return rhythm_services.review_complete(
        review=ReviewFactory(plan=plan, quarter=quarter),
        decision="keep",
        acting_user=people.manager,
    ).version


def _approve(plan, people):
    AccountPlan.objects.filter(pk=plan.pk).update(status="submitted")
    return services.plan_approve(plan=plan, acting_user=people.director)


def _pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_never_approved_plan_reviewed_twice_has_no_approved_version(
    client_for, people, full_plan
):
    _review(full_plan, people, "2027-Q1")
    _review(full_plan, people, "2027-Q2")
    client = client_for(people.director)
    account_id = full_plan.key_account_id
    page = client.get(reverse("planning:versions", args=[account_id])).content.decode()
    assert "No approved version yet: the plan has never been approved." in page
    assert "Review snapshot 1" in page and "Review snapshot 2" in page
    assert "(2027-Q2)" in page
    assert "Approved version 1" not in page
    assert "Max Manager" in page  # who completed the review, under "Reviewed by"

    pdf = _pdf_text(client.get(reverse("planning:plan_pdf", args=[account_id]), {"review": 1}))
    assert "Review snapshot 1 (2027-Q1 review)" in pdf
    assert "not an approval" in pdf
    assert "Approved version" not in pdf
    # ?version= names approvals only: there is none.
    assert (
        client.get(reverse("planning:plan_pdf", args=[account_id]), {"version": 1}).status_code
        == 404
    )

    detail = client.get(reverse("planning:review_snapshot", args=[account_id, 2])).content.decode()
    assert "completed the 2027-Q2 review" in detail
    assert "A review snapshot is not an approval." in detail

    event = AccountEvent.objects.filter(key_account_id=account_id, kind="review").first()
    assert event.summary.endswith("(review snapshot 2)")


def test_approvals_count_approvals_only_and_compare_names_each_record(
    client_for, people, full_plan
):
    _review(full_plan, people, "2027-Q1")  # review snapshot 1
    first = _approve(full_plan, people)
    ActionFactory(plan=full_plan, title="Added after approval 1", owner=people.manager)
    _review(full_plan, people, "2027-Q2")  # review snapshot 2
    second = _approve(full_plan, people)
    assert (first.kind, first.number, second.number) == ("approval", 1, 2)
    assert first.snapshot["version"]["kind"] == "approval"

    client = client_for(people.executive)
    account_id = full_plan.key_account_id
    page = client.get(reverse("planning:versions", args=[account_id])).content.decode()
    assert "Approved version 2" in page and "Review snapshot 2" in page
    assert "approved as version 2" in page  # the timeline's approval entry

    url = reverse("planning:version_compare", args=[account_id])
    compare = client.get(url, {"a": "r1", "b": "2"}).content.decode()
    assert "compare review snapshot 1 with approved version 2" in compare
    assert "Added after approval 1" in compare
    assert client.get(url, {"a": "r9", "b": "0"}).status_code == 404

    pdf = _pdf_text(client.get(reverse("planning:plan_pdf", args=[account_id]), {"version": 2}))
    assert "Approved version 2" in pdf and "Review snapshot" not in pdf


def test_editing_after_approval_names_the_last_approval_not_a_snapshot(people, full_plan):
    _approve(full_plan, people)
    _review(full_plan, people)
    services.plan_section_update(
        plan=full_plan,
        section="csf",
        data={"critical_success_factors": "Faster deliveries."},
        revision=None,
        acting_user=people.manager,
    )
    event = AccountEvent.objects.filter(summary__contains="edited after approval").get()
    assert "(approved version 1 stays frozen)" in event.summary


# ---- the data migration (tests/old_heads.py: `plant` writes at the old head) -----------------

# Not yet applied when `plant` runs: one shared sequence numbered reviews and approvals.
MIGRATIONS_UNDER_TEST = [
    ("planning", "0006_planversion_kind"),
    ("planning", "0007_classify_plan_versions"),
]


def plant(old) -> dict:
    customer = old.get_model("accounts", "Customer").objects.create(
        reference="OLD-PLAN-1", name="Old Data Ltd"
    )
    account = old.get_model("accounts", "KeyAccount").objects.create(
        customer=customer,
        classification="strategic",
        selection_rationale="Big and growing.",
        selected_on=date(2026, 1, 5),
    )
    Plan = old.get_model("planning", "AccountPlan")
    Version = old.get_model("planning", "PlanVersion")
    Event = old.get_model("accounts", "AccountEvent")
    plan = Plan.objects.create(key_account_id=account.pk, period="FY2026")
    now = timezone.now()
    # The old shared sequence: review, approval, review, approval.
    for number, reason in ((1, "review"), (2, "approved"), (3, "review"), (4, "approved")):
        header = {"number": number, "created_by": "Dana Director"}
        if reason == "review":
            header["reason"] = "review"
        Version.objects.create(
            plan=plan, number=number, reason=reason, snapshot={"version": header, "plan": {}}
        )
    Event.objects.create(
        key_account_id=account.pk,
        kind="plan",
        summary="Plan FY2026 approved as version 4",
        link=f"/accounts/{account.pk}/plan/versions/4/",
        occurred_at=now,
    )
    Event.objects.create(
        key_account_id=account.pk,
        kind="review",
        summary="Quarterly review 2026-Q2 completed: Keep class (plan version 3)",
        occurred_at=now,
    )
    Event.objects.create(
        key_account_id=account.pk,
        kind="plan",
        summary="Plan FY2026 edited after approval: back to draft "
        "(approved version 3 stays frozen)",
        occurred_at=now,
    )
    return {"account": account.pk, "plan": plan.pk}


def test_existing_rows_are_classified_and_each_kind_renumbered(migrated_old_heads):
    planted = migrated_old_heads[__name__]
    account_id = planted["account"]
    rows = list(
        PlanVersion.objects.filter(plan_id=planted["plan"])
        .order_by("created_at", "pk")
        .values_list("kind", "number", "snapshot")
    )
    assert [(kind, number) for kind, number, _ in rows] == [
        ("review", 1),
        ("approval", 1),
        ("review", 2),
        ("approval", 2),
    ]
    assert [s["version"]["number"] for _, _, s in rows] == [1, 1, 2, 2]
    assert {s["version"]["kind"] for _, _, s in rows} == {"review", "approval"}
    summaries = dict(
        AccountEvent.objects.filter(key_account_id=account_id).values_list("summary", "link")
    )
    assert (
        summaries["Plan FY2026 approved as version 2"] == f"/accounts/{account_id}/plan/versions/2/"
    )
    assert "Quarterly review 2026-Q2 completed: Keep class (review snapshot 2)" in summaries
    # "Version 3" was the second review; the last approval before it was approved version 1.
    assert (
        "Plan FY2026 edited after approval: back to draft (approved version 1 stays frozen)"
        in summaries
    )
