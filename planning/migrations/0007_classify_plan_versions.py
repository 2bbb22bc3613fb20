"""Classify every frozen plan version as an approval or a review snapshot and number each kind
on its own; the frozen snapshot's own header and the account timeline's entries that named the
old numbers follow.

A row is a review snapshot when it was written as one (reason "review", in the row or in the
snapshot's header: the quarterly review wrote both); every other row was written by an approval.
"""

import re
from collections import defaultdict
from datetime import timedelta

from django.db import migrations

APPROVAL, REVIEW = "approval", "review"
SAME_STEP = timedelta(minutes=2)  # a step's timeline entry is written with its version


def classify_and_renumber(apps, schema_editor):
    PlanVersion = apps.get_model("planning", "PlanVersion")
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    by_plan = defaultdict(list)
    for version in PlanVersion.objects.select_related("plan").order_by("plan_id", "number"):
        by_plan[version.plan_id].append(version)
    for versions in by_plan.values():
        plan = versions[0].plan
        counters = {APPROVAL: 0, REVIEW: 0}
        renumbered = {}  # old number -> (kind, new number, latest approval number so far)
        for version in versions:
            header = dict((version.snapshot or {}).get("version") or {})
            kind = REVIEW if REVIEW in (version.kind, header.get("reason")) else APPROVAL
            counters[kind] += 1
            renumbered[version.number] = (kind, counters[kind], counters[APPROVAL])
            header.update({"kind": kind, "number": counters[kind]})
            snapshot = {**(version.snapshot or {}), "version": header}
            # Ascending order: a row's new number is never above its old one, and the rows
            # already renumbered hold the numbers below it, so the unique constraint holds.
            PlanVersion.objects.filter(pk=version.pk).update(
                kind=kind, number=counters[kind], snapshot=snapshot
            )
            _retell_timeline(AccountEvent, plan, version, kind, counters[kind])
        _retell_edits(AccountEvent, plan, renumbered)


def _retell_timeline(AccountEvent, plan, version, kind, number):
    near = AccountEvent.objects.filter(
        key_account_id=plan.key_account_id,
        occurred_at__gte=version.created_at - SAME_STEP,
        occurred_at__lte=version.created_at + SAME_STEP,
    )
    old = version.number
    if kind == APPROVAL:
        for event in near.filter(kind="plan", summary__endswith=f"approved as version {old}"):
            event.summary = re.sub(r"version \d+$", f"version {number}", event.summary)
            event.link = re.sub(r"/versions/\d+/$", f"/versions/{number}/", event.link)
            event.save(update_fields=["summary", "link"])
    else:
        for event in near.filter(kind="review", summary__endswith=f"(plan version {old})"):
            event.summary = event.summary.replace(
                f"(plan version {old})", f"(review snapshot {number})"
            )
            event.save(update_fields=["summary"])


EDITED = re.compile(r"\(approved version (\d+) stays frozen\)$")


def _retell_edits(AccountEvent, plan, renumbered):
    """"Edited after approval (approved version N stays frozen)" named the highest number of
    any kind: it now names the latest approval at that point."""
    for event in AccountEvent.objects.filter(
        key_account_id=plan.key_account_id,
        kind="plan",
        summary__startswith=f"Plan {plan.period} edited after approval",
    ):
        match = EDITED.search(event.summary)
        if not match or int(match.group(1)) not in renumbered:
            continue
        _kind, _number, latest_approval = renumbered[int(match.group(1))]
        event.summary = EDITED.sub(f"(approved version {latest_approval} stays frozen)", event.summary)
        event.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0006_planversion_kind"),
        ("accounts", "0005_edit_revisions"),
    ]

    operations = [migrations.RunPython(classify_and_renumber, migrations.RunPython.noop)]
