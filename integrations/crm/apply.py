"""The preview stored, the confirmed run applied through the stages' services, failed rows."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.event_text import EventText, validation_text
from accounts.models import Customer
from common.limits import NOTE_MAX_CHARS
from common.locks import serialise
from discovery.models import Stakeholder
from discovery.services import QUICK_STAKEHOLDER_DEFAULTS, stakeholder_save
from opportunities.models import Opportunity
from opportunities.services import opportunity_create, opportunity_update
from planning.models import Target
from planning.services import measurement_record
from strategy.services import customer_parent_set, customer_save

from ..models import ExternalRef, ImportRun, ObjectType
from ..signals import import_waiting
from .columns import OWN_CONTACT_ID, column_map, shape
from .plan import RowPlan, _cells, _refs, failed_reason, import_plan, reason_shown, summary


def import_preview(*, source: str, object_type: str, upload, file_name: str, acting_user):
    """Record an uploaded file and its dry run (nothing else is written)."""
    columns = column_map(upload.columns, source, object_type)
    rows = [{ours: (row.get(col) or "") for ours, col in columns.items()} for row in upload.rows]
    cells = _cells(upload.rows, columns)
    plans = import_plan(
        source=source, object_type=object_type, rows=cells, lines=upload.line_numbers
    )
    return ImportRun.objects.create(
        source=source,
        object_type=object_type,
        file_name=file_name[:200],
        rows=rows,
        line_numbers=upload.line_numbers,
        preview=summary(plans),
        created_by=acting_user,
    )


def _ref(source, object_type, external_id, local_id) -> None:
    ExternalRef.objects.get_or_create(
        source=source,
        object_type=object_type,
        external_id=external_id,
        defaults={"local_id": local_id},
    )


def _fail(plan: RowPlan, error: ValidationError) -> None:
    plan.action = "failed"
    plan.changes = []
    plan.reason = failed_reason(validation_text(error))


def _apply_accounts(run, plans, user) -> None:
    local = {}
    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                customer = Customer.objects.get(pk=plan.local_id) if plan.local_id else None
                if plan.action != "unchanged" or customer is None:
                    data = {**plan.values}
                    if customer is None:
                        data["reference"] = plan.external_id
                    customer = customer_save(data=data, acting_user=user, customer=customer)
                local[plan.external_id] = customer
                _ref(run.source, ObjectType.ACCOUNT, plan.external_id, customer.pk)
        except ValidationError as error:
            _fail(plan, error)
    # Parents once every account of the file exists.
    for plan in plans:
        parent_key = plan.link.get("parent")
        if plan.action == "failed" or not parent_key or plan.external_id not in local:
            continue
        parent = local.get(parent_key)
        if parent is None:
            ref = _refs(run.source, ObjectType.ACCOUNT, [parent_key]).get(parent_key)
            parent = Customer.objects.filter(pk=ref).first() if ref else None
            parent = parent or Customer.objects.filter(reference=parent_key).first()
        try:
            with transaction.atomic():
                customer_parent_set(
                    customer=local[plan.external_id], parent=parent, acting_user=user
                )
        except ValidationError as error:
            _fail(plan, error)


def _apply_contacts(run, plans, user) -> None:
    from accounts.models import KeyAccount

    local = {}
    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                values = dict(plan.values)
                account = KeyAccount.objects.get(pk=values.pop("account_id"))
                person = Stakeholder.objects.get(pk=plan.local_id) if plan.local_id else None
                if person is None:
                    values = {**QUICK_STAKEHOLDER_DEFAULTS, **values}
                if person is None or plan.action == "update":
                    person = stakeholder_save(
                        account=account, stakeholder=person, fields=values, acting_user=user
                    )
                local[plan.external_id] = person
                _ref(run.source, ObjectType.CONTACT, plan.external_id, person.pk)
        except ValidationError as error:
            _fail(plan, error)
    for plan in plans:
        boss_key = plan.link.get("reports_to")
        person = local.get(plan.external_id)
        if plan.action == "failed" or not boss_key or person is None:
            continue
        boss = local.get(boss_key)
        if boss is None:
            ref = _refs(run.source, ObjectType.CONTACT, [boss_key]).get(boss_key)
            m = OWN_CONTACT_ID.match(boss_key)
            pk = ref or (int(m.group(1)) if m else None)
            boss = Stakeholder.objects.filter(pk=pk).first() if pk else None
        person.refresh_from_db()
        if boss is None or person.reports_to_id == boss.pk:
            continue
        try:
            with transaction.atomic():
                stakeholder_save(
                    account=person.key_account,
                    stakeholder=person,
                    fields={"reports_to": boss},
                    acting_user=user,
                )
        except ValidationError as error:
            _fail(plan, error)


def _apply_opportunities(run, plans, user) -> None:
    from accounts.models import KeyAccount

    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                values = dict(plan.values)
                account = KeyAccount.objects.get(pk=values.pop("account_id"))
                if plan.local_id is None:
                    opportunity = opportunity_create(
                        account=account, values=values, acting_user=user
                    )
                else:
                    opportunity = Opportunity.objects.get(pk=plan.local_id)
                    if plan.action == "update":
                        opportunity = opportunity_update(
                            opportunity=opportunity, values=values, revision=None, acting_user=user
                        )
                _ref(run.source, ObjectType.OPPORTUNITY, plan.external_id, opportunity.pk)
        except ValidationError as error:
            _fail(plan, error)


def _apply_actuals(run, plans, user) -> None:
    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                target = Target.objects.get(pk=plan.local_id)
                if plan.action == "create":
                    measurement_record(target=target, acting_user=user, **plan.values)
                if plan.link.get("ref"):
                    _ref(run.source, ObjectType.TARGET, plan.external_id, target.pk)
        except ValidationError as error:
            _fail(plan, error)


APPLIERS = {
    ObjectType.ACCOUNT: _apply_accounts,
    ObjectType.CONTACT: _apply_contacts,
    ObjectType.OPPORTUNITY: _apply_opportunities,
    ObjectType.TARGET: _apply_actuals,
}


def import_apply_run(*, run_id: int) -> ImportRun:
    """Apply a previewed file as the data is now. Imports take turns (one at a time), so a
    row new in two files applied at the same moment is created once."""
    with transaction.atomic():
        serialise("integrations.import")
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ImportRun.Status.APPLIED:
            return run
        cells = [{k: (v or "").strip() for k, v in row.items()} for row in run.rows]
        plans = import_plan(
            source=run.source, object_type=run.object_type, rows=cells, lines=run.line_numbers
        )
        APPLIERS[ObjectType(run.object_type)](run, plans, run.created_by)
        run.result = summary(plans)
        run.status = ImportRun.Status.APPLIED
        run.applied_at = timezone.now()
        run.save(update_fields=["result", "status", "applied_at"])
    return run


def import_confirm(*, run: ImportRun, acting_user) -> ImportRun:
    """Apply now when the file is small; a larger file goes to a Celery task after commit
    (announced with `signals.import_waiting`, which the tasks module answers)."""
    if run.status != ImportRun.Status.PREVIEW:
        return run
    if len(run.rows) <= settings.KAM_IMPORT_INLINE_MAX_ROWS:
        return import_apply_run(run_id=run.pk)
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEW).update(
        status=ImportRun.Status.QUEUED
    )
    transaction.on_commit(lambda: import_waiting.send(sender=ImportRun, run_id=run.pk))
    run.refresh_from_db()
    return run


def import_not_queued(*, run_id: int) -> None:
    """The task queue did not take the import: back to the preview, saying so."""
    text = EventText(gettext_noop("The task queue did not answer; nothing was applied. Try again."))
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.PREVIEW, error=text.english(), error_text=text.stored()
    )


def import_failed(*, run_id: int, error: Exception) -> None:
    """The worker's import stopped (nothing was written: one transaction): the page says so
    instead of "being applied", with the error's own text."""
    text = EventText(
        gettext_noop("The import stopped: %(error)s"), error=EventText.verbatim(str(error))
    )
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.FAILED,
        error=text.english(NOTE_MAX_CHARS),
        error_text=text.stored(),
    )


def failed_rows(run: ImportRun) -> tuple[list[str], list[list[str]]]:
    """The file's failed rows with their line and reason (the applied result once applied)."""
    outcome = run.result if run.status == ImportRun.Status.APPLIED else run.preview
    failed = {
        r["line"]: reason_shown(r["reason"])
        for r in outcome.get("rows", [])
        if r["action"] == "failed"
    }
    names = shape(run.source, run.object_type)
    # In the shape's order (a JSON column on PostgreSQL does not keep the keys' order).
    fields = [f for f in names if run.rows and f in run.rows[0]]
    # Our two columns in the reader's language; the file's own columns as the CRM names them.
    header = [gettext("Line"), gettext("Reason"), *[names[f][0] for f in fields]]
    body = [
        [line, failed[line], *[row.get(f, "") for f in fields]]
        for row, line in zip(run.rows, run.line_numbers, strict=True)
        if line in failed
    ]
    return header, body
