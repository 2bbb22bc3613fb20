"""Writes of the programme rhythm: reviews, escalations, digests, reminders, exports.

Rules kept here (and shown to users where they meet them):
- Quarterly review: every active plan (the current, non-archived plan of an active key
  account) gets one `Review` per calendar quarter ("2027-Q2"), opened on the first day the job
  runs in that quarter and due 30 days later. Its manager(s) and director(s) are notified
  in-app and by e-mail, once.
- Completing a review (the account's director or manager) freezes the plan as a review
  snapshot (`planning.services.plan_review_snapshot_record`; not an approval), writes a
  REVIEW entry on the account timeline and, when it proposes a class change or a
  de-selection, notifies the account's director(s).
- A review still open 30 days after it opened (past its due date) is escalated to the
  account's director(s), once (`escalated_at`).
- Digests: see `selectors.DIGEST_RULE`. One per user and local date (`DigestLog`).
- Annual programme review: programme admins are reminded once per review date, from 30 days
  before it.
- Bulk export: a zip of the current plan PDFs of every active account the director directs,
  downloadable by them only, for 24 hours; then the file is deleted.

Idempotence: every job writes in batches, each batch in one transaction (a worker killed
mid-batch leaves nothing of it), and relies on unique constraints with `ignore_conflicts`:
the rows a batch really inserted carry its random `batch` id, and only those are notified.
Notifications and their e-mails go through `notifications.services.notify_many`: an e-mail
waits in its notification and is handed to the mail server after the commit, so a rolled back
batch sends nothing and a retried one finds its log rows and sends nothing again; an e-mail
the mail server refused is sent later by the "send e-mails still waiting" job.
"""

from __future__ import annotations

import os
import re
import secrets
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts import permissions
from accounts.models import (
    AccountEvent,
    Classification,
    KeyAccount,
    Programme,
    Role,
    User,
)
from accounts.selectors import user_language
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision
from common.faults import checkpoint
from notifications.links import absolute_url
from notifications.services import Mail, Message, notify_many
from planning.models import AccountPlan, PlanVersion, Review
from planning.services import (
    plan_lock_for_decision,
    plan_review_snapshot_record,
    review_completed_text,
)
from planning.signals import plan_print_lines
from planning.snapshot import load_plan, plan_to_dict
from strategy.services import programme_update

from . import selectors
from .models import (
    AnnualReviewReminder,
    DigestLog,
    DigestPreference,
    PlanExport,
    ReviewNotice,
)
from .signals import export_waiting

BATCH_SIZE = settings.RHYTHM_BATCH_SIZE
REVIEW_DUE_DAYS = selectors.REVIEW_COMPLETE_WITHIN_DAYS
ANNUAL_REMINDER_DAYS = 30
EXPORTS_DIR = "exports"


# ---- helpers ------------------------------------------------------------------------------


def quarter_label(day: date) -> str:
    """2027-05-14 -> '2027-Q2' (calendar quarters)."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _leaders_by_account(account_ids, roles=(Role.MANAGER, Role.DIRECTOR)) -> dict[int, list[User]]:
    """Who is told about these accounts: the permission module's rule, for many at once."""
    return permissions.people_to_tell(account_ids=account_ids, roles=roles)


# ---- texts of the notifications --------------------------------------------------------
# Each is called by the outbox in its recipient's language (notifications.services), so the
# words, day and month names follow the recipient, not whoever's request wrote the row.


def _review_open_text(review: Review) -> str:
    return _("The %(quarter)s review of the %(account)s plan is open: complete it by %(date)s.") % {
        "quarter": review.quarter,
        "account": review.plan.key_account.name,
        "date": date_format(review.due_on, "PADDED_DATE_FORMAT"),
    }


def _proposal_text(acting_user, review: Review, account: KeyAccount, proposed_class: str) -> str:
    names = {"user": acting_user, "account": account.name, "quarter": review.quarter}
    if proposed_class:
        return _(
            "%(user)s proposes a change to %(classification)s for %(account)s in the %(quarter)s "
            "review."
        ) % {**names, "classification": Classification(proposed_class).label}
    return _("%(user)s proposes de-selection for %(account)s in the %(quarter)s review.") % names


def _review_escalated_text(review: Review, days: int) -> str:
    return ngettext(
        "Escalated: the %(quarter)s review of the %(account)s plan has been open for %(days)s "
        "day (due %(date)s): see that it is completed.",
        "Escalated: the %(quarter)s review of the %(account)s plan has been open for %(days)s "
        "days (due %(date)s): see that it is completed.",
        days,
    ) % {
        "quarter": review.quarter,
        "account": review.plan.key_account.name,
        "days": days,
        "date": date_format(review.due_on, "PADDED_DATE_FORMAT"),
    }


def _digest_text(digest: selectors.Digest) -> str:
    return ngettext(
        "Your reminders for %(day)s: %(count)s item needs your attention.",
        "Your reminders for %(day)s: %(count)s items need your attention.",
        digest.count,
    ) % {"day": date_format(digest.today, "PADDED_WEEKDAY_MONTH_DAY_FORMAT"), "count": digest.count}


# ---- quarterly reviews: opening -----------------------------------------------------------


def active_plans() -> list[tuple[int, int]]:
    return list(
        AccountPlan.objects.filter(is_current=True, key_account__status=KeyAccount.Status.ACTIVE)
        .exclude(status=AccountPlan.Status.ARCHIVED)
        .order_by("pk")
        .values_list("pk", "key_account_id")
    )


def reviews_open_for_quarter(*, today: date | None = None) -> dict[str, int]:
    """Open this quarter's review for every active plan that has none yet; notify its
    manager(s) and director(s). Safe to run any number of times, also concurrently."""
    today = today or timezone.localdate()
    quarter = quarter_label(today)
    plans = active_plans()
    opened = notified = 0
    for chunk in _chunks(plans):
        batch_opened, batch_notified = _open_reviews_batch(chunk, quarter, today)
        opened += batch_opened
        notified += batch_notified
    return {"plans": len(plans), "opened": opened, "notified": notified}


@transaction.atomic
def _open_reviews_batch(chunk: list[tuple[int, int]], quarter: str, today: date):
    plan_ids = [plan_id for plan_id, _account_id in chunk]
    due_on = today + timedelta(days=REVIEW_DUE_DAYS)
    # The unique (plan, quarter) constraint makes a second run or a second beat insert nothing.
    Review.objects.bulk_create(
        [Review(plan_id=pk, quarter=quarter, opened_on=today, due_on=due_on) for pk in plan_ids],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    unannounced = list(
        Review.objects.filter(
            quarter=quarter, plan_id__in=plan_ids, notice__isnull=True
        ).values_list("pk", flat=True)
    )
    if not unannounced:
        return 0, 0
    batch = uuid.uuid4()
    ReviewNotice.objects.bulk_create(
        [ReviewNotice(review_id=pk, batch=batch) for pk in unannounced],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    # Only the reviews whose notice this batch inserted are announced by it.
    mine = list(
        Review.objects.filter(notice__batch=batch).select_related("plan__key_account__customer")
    )
    leaders = _leaders_by_account({r.plan.key_account_id for r in mine})
    # (test-only) a worker killed here has committed the batch but handed over no e-mail
    transaction.on_commit(lambda: checkpoint("reviews:batch-committed"))
    rows = []
    for review in mine:
        account = review.plan.key_account
        link = reverse("rhythm:review", args=[account.pk, review.pk])
        text = partial(_review_open_text, review)
        rows.extend(Message(user, text, link) for user in leaders.get(account.pk, []))
    notify_many(messages=rows)
    return len(mine), len(rows)


# ---- quarterly reviews: completing --------------------------------------------------------


@dataclass
class ReviewOutcome:
    review: Review
    version: PlanVersion


@transaction.atomic
def review_complete(
    *,
    review: Review,
    decision: str,
    proposed_class: str = "",
    comments: str = "",
    acting_user,
    plan_revision: int | None = None,
) -> ReviewOutcome:
    """Record the review's decision, freeze the plan as a version, tell the timeline, and
    notify the director(s) of a proposed class change or de-selection. Of the plan as the
    review's page showed it (`plan_revision`), or nothing (`EditConflict`)."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("plan__key_account__customer", "completed_by")
        .get(pk=review.pk)
    )
    plan = plan_lock_for_decision(plan=review.plan, revision=plan_revision)
    account = plan.key_account
    if review.completed_at is not None:
        raise ValidationError(
            _("This review was already completed by %(who)s on %(date)s.")
            % {
                "who": review.completed_by or _("someone"),
                "date": date_format(timezone.localtime(review.completed_at), "PADDED_DATE_FORMAT"),
            }
        )
    if not plan.is_current or plan.status == AccountPlan.Status.ARCHIVED:
        raise ValidationError(_("This plan is archived; its review can no longer be completed."))
    comments = comments.strip()
    errors = {}
    if decision not in Review.Decision.values:
        errors["decision"] = _(
            "Choose a decision: keep the class, propose a change or de-selection."
        )
    if decision == Review.Decision.CHANGE_CLASS:
        if proposed_class not in Classification.values:
            errors["proposed_class"] = _("Choose the class you propose.")
        elif proposed_class == account.classification:
            errors["proposed_class"] = _(
                "The account already is %(class)s; choose another class or keep the class."
            ) % {"class": account.get_classification_display()}
    else:
        proposed_class = ""
    if decision in (Review.Decision.CHANGE_CLASS, Review.Decision.DESELECT) and not comments:
        errors["comments"] = _("Say why: the director decides on the proposal from your comments.")
    if errors:
        raise ValidationError(errors)
    review.decision = decision
    review.proposed_class = proposed_class
    review.comments = comments
    review.completed_at = timezone.now()
    review.completed_by = acting_user
    review.full_clean()
    review.save(
        update_fields=["decision", "proposed_class", "comments", "completed_at", "completed_by"]
    )
    version = plan_review_snapshot_record(
        plan=plan, quarter=review.quarter, acting_user=acting_user, comment=comments
    )
    link = reverse("rhythm:review", args=[account.pk, review.pk])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.REVIEW,
        summary=review_completed_text(
            quarter=review.quarter,
            decision=review.decision,
            number=version.number,
            proposed_class=proposed_class,
        ),
        reason=comments,
        acting_user=acting_user,
        old_value=account.classification if proposed_class else "",
        new_value=proposed_class,
        link=link,
    )
    if decision != Review.Decision.KEEP:
        text = partial(_proposal_text, acting_user, review, account, proposed_class)
        directors = _leaders_by_account([account.pk], roles=(Role.DIRECTOR,)).get(account.pk, [])
        notify_many(messages=[Message(u, text, link) for u in directors if u.pk != acting_user.pk])
    return ReviewOutcome(review=review, version=version)


# ---- quarterly reviews: escalation --------------------------------------------------------


@transaction.atomic
def reviews_escalate_overdue(*, today: date | None = None) -> dict[str, int]:
    """Escalate open reviews past their due date (30 days after opening) to the account's
    director(s). Locked rows are skipped by a concurrent run, and `escalated_at` is set in the
    same transaction as the notifications, so each review is escalated once."""
    today = today or timezone.localdate()
    reviews = list(
        Review.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            completed_at__isnull=True,
            escalated_at__isnull=True,
            due_on__lt=today,
            plan__is_current=True,
            plan__key_account__status=KeyAccount.Status.ACTIVE,
        )
        .select_related("plan__key_account__customer")
        .order_by("pk")
    )
    if not reviews:
        return {"escalated": 0, "notified": 0}
    Review.objects.filter(pk__in=[r.pk for r in reviews]).update(escalated_at=timezone.now())
    directors = _leaders_by_account(
        {r.plan.key_account_id for r in reviews}, roles=(Role.DIRECTOR,)
    )
    rows = []
    for review in reviews:
        account = review.plan.key_account
        text = partial(_review_escalated_text, review, (today - review.opened_on).days)
        link = reverse("rhythm:review", args=[account.pk, review.pk])
        rows.extend(Message(user, text, link) for user in directors.get(account.pk, []))
    notify_many(messages=rows)
    return {"escalated": len(reviews), "notified": len(rows)}


# ---- digests ------------------------------------------------------------------------------


def digests_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send each due user their digest for their local date, once (see DIGEST_RULE)."""
    now = now or timezone.now()
    users = list(
        User.objects.filter(is_active=True).select_related("digest_preference").order_by("pk")
    )
    local = {user.pk: selectors.user_today(user, now) for user in users}
    sent = set(
        DigestLog.objects.filter(sent_on__in=set(local.values())).values_list("user_id", "sent_on")
    )
    due = [
        user
        for user in users
        if (user.pk, local[user.pk]) not in sent and selectors.digest_is_due(user, local[user.pk])
    ]
    digests = [d for d in selectors.build_digests(users=due, now=now).values() if d.count]
    delivered = 0
    for chunk in _chunks(digests):
        delivered += _send_digest_batch(chunk)
    return {"users": len(users), "due": len(due), "with_items": len(digests), "sent": delivered}


def _digest_mail(digest: selectors.Digest) -> Mail:
    context = {
        "digest": digest,
        "sections": digest.sections(),
        "page_url": absolute_url(reverse("rhythm:digest")),
        "settings_url": absolute_url(reverse("rhythm:digest_settings")),
        "site_url": absolute_url(""),
    }
    return Mail(
        subject=ngettext(
            "KAM Programme: %(count)s reminder for %(day)s",
            "KAM Programme: %(count)s reminders for %(day)s",
            digest.count,
        )
        % {
            "count": digest.count,
            "day": date_format(digest.today, "PADDED_WEEKDAY_MONTH_DAY_FORMAT"),
        },
        body=render_to_string("rhythm/email/digest.txt", context),
        html=render_to_string("rhythm/email/digest.html", context),
    )


@transaction.atomic
def _send_digest_batch(digests: list[selectors.Digest]) -> int:
    batch = uuid.uuid4()
    DigestLog.objects.bulk_create(
        [DigestLog(user=d.user, sent_on=d.today, batch=batch, item_count=d.count) for d in digests],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    # A concurrent run that logged the same user and day first keeps it: we skip that user.
    mine = set(DigestLog.objects.filter(batch=batch).values_list("user_id", flat=True))
    ours = [d for d in digests if d.user.pk in mine]
    link = reverse("rhythm:digest")
    # (test-only) a worker killed here has committed the batch but handed over no e-mail
    transaction.on_commit(lambda: checkpoint("digests:batch-committed"))
    notify_many(
        messages=[
            Message(
                d.user,
                partial(_digest_text, d),
                link,
                mail=partial(_digest_mail, d) if d.user.email else None,
            )
            for d in ours
        ]
    )
    return len(ours)


@transaction.atomic
def digest_preference_save(*, user, data: dict, revision: int | None = None) -> DigestPreference:
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(user=user)
    check_revision(
        preference,
        revision,
        message=_(
            "Your digest settings were changed elsewhere (another tab?) since you opened this page."
        ),
    )
    preference.frequency = data["frequency"]
    for kind in DigestPreference.KINDS:
        setattr(preference, kind, bool(data.get(kind)))
    bump_revision(preference)
    preference.full_clean()
    preference.save()
    return preference


# ---- annual programme review --------------------------------------------------------------


@transaction.atomic
def annual_review_remind(*, today: date | None = None) -> dict[str, int]:
    """Remind programme admins once per review date, from 30 days before it."""
    today = today or timezone.localdate()
    programme = Programme.objects.order_by("pk").first()
    review_on = programme.annual_review_on if programme else None
    if review_on is None or not 0 <= (review_on - today).days <= ANNUAL_REMINDER_DAYS:
        return {"sent": 0}
    reminder, created = AnnualReviewReminder.objects.get_or_create(review_on=review_on)
    if not created:
        return {"sent": 0}
    admins = list(selectors.programme_admins())
    days = (review_on - today).days

    def text():  # called by the outbox in each admin's language
        return ngettext(
            "The annual programme review is due on %(date)s (in %(days)s day): the year's "
            "summary is ready.",
            "The annual programme review is due on %(date)s (in %(days)s days): the year's "
            "summary is ready.",
            days,
        ) % {"date": date_format(review_on, "PADDED_DATE_FORMAT"), "days": days}

    link = reverse("rhythm:annual_review")
    notify_many(messages=[Message(admin, text, link) for admin in admins])
    reminder.recipients = len(admins)
    reminder.save(update_fields=["recipients"])
    return {"sent": len(admins)}


# ---- bulk export --------------------------------------------------------------------------


@transaction.atomic
def plan_export_request(*, acting_user) -> PlanExport:
    """Queue a zip of the director's plan PDFs. One export at a time per director: asking
    again while one is being built returns that one."""
    plans = selectors.exportable_plans(user=acting_user)
    if not plans:
        raise ValidationError(
            _("There is nothing to export: you direct no active key account with a current plan.")
        )
    now = timezone.now()
    unfinished = PlanExport.objects.filter(
        requested_by=acting_user, status__in=[PlanExport.Status.PENDING, PlanExport.Status.RUNNING]
    )
    # One unfinished this old has lost its task: failed now (as exports_cleanup would), so that
    # it no longer holds the director's one place (the database's rule too).
    unfinished.filter(created_at__lt=export_abandoned_before(now)).update(
        status=PlanExport.Status.FAILED, error=EXPORT_ABANDONED, finished_at=now
    )
    running = unfinished.select_for_update().first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            export = PlanExport.objects.create(requested_by=acting_user, total=len(plans))
    except IntegrityError:  # asked twice at once: the other request's export is the one
        return unfinished.get()
    transaction.on_commit(lambda: export_waiting.send(sender=PlanExport, export=export))
    return export


def export_abandoned_before(now: datetime) -> datetime:
    """An export still unfinished this long after it was asked for has lost its task: a dead
    worker's task is delivered again within the visibility timeout, and a build takes at most
    the hard time limit."""
    limits = settings.CELERY_VISIBILITY_TIMEOUT + settings.CELERY_TASK_TIME_LIMIT
    return now - timedelta(seconds=limits)


# Stored in English on the export; shown through gettext (views.export_detail).
EXPORT_ABANDONED = gettext_noop(
    "The export stopped: the worker building it died and its task was lost. Ask for a new one."
)
EXPORT_NOT_QUEUED = gettext_noop(
    "The export could not be started: the job queue (Redis) did not answer. Nothing is left "
    "waiting; ask again in a few minutes, and tell your administrator if it keeps failing."
)

EXPORT_REASONS = (EXPORT_ABANDONED, EXPORT_NOT_QUEUED)


def plan_export_not_queued(*, export: PlanExport) -> None:
    """The broker did not take the build (rhythm.tasks queues it after the commit): the export
    is marked failed at once (with the reason), so it neither waits for ever nor blocks the
    director's next one."""
    now = timezone.now()
    PlanExport.objects.filter(pk=export.pk, status=PlanExport.Status.PENDING).update(
        status=PlanExport.Status.FAILED, error=EXPORT_NOT_QUEUED, finished_at=now
    )
    export.refresh_from_db()


def export_path(export: PlanExport) -> Path | None:
    """The file on disk, only if it sits inside MEDIA_ROOT/exports/."""
    if not export.file_name:
        return None
    root = (Path(settings.MEDIA_ROOT) / EXPORTS_DIR).resolve()
    path = (Path(settings.MEDIA_ROOT) / export.file_name).resolve()
    return path if path.is_relative_to(root) else None


def _pdf_name(account: KeyAccount, taken: set[str]) -> str:
    base = slugify(account.name) or f"account-{account.pk}"
    name = f"{base}.pdf"
    if name in taken:
        name = f"{base}-{account.pk}.pdf"
    taken.add(name)
    return name


def plan_export_build(*, export_id) -> PlanExport:
    """Render one PDF per plan into a zip under MEDIA_ROOT/exports/ with an unguessable name.
    Progress is committed after each PDF so the page can show it. The zip is written to a
    temporary file and renamed when complete: a killed worker never leaves a half zip behind
    a 'ready' export, and the redelivered task starts again (over the same temporary file)."""
    from planning.printing import render_plan_pdf

    today = timezone.localdate()

    export = PlanExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status in (PlanExport.Status.READY, PlanExport.Status.EXPIRED):
        return export
    plans = selectors.exportable_plans(user=export.requested_by)
    try:
        with transaction.atomic():
            PlanExport.objects.filter(pk=export.pk).update(
                status=PlanExport.Status.RUNNING, total=len(plans), done=0, error=""
            )
    except IntegrityError:  # a lost task come back after its director asked for a new export
        return export
    directory = Path(settings.MEDIA_ROOT) / EXPORTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    file_name = f"{EXPORTS_DIR}/{secrets.token_urlsafe(32)}.zip"
    final = Path(settings.MEDIA_ROOT) / file_name
    # Named after the export, so that the task delivered again after a killed worker writes over
    # the dead build's partial file instead of leaving it behind (it is never served).
    partial = directory / f"build-{export.pk}.part"
    try:
        taken: set[str] = set()
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for plan in plans:
                # In the language of the director who asked for it, not the worker's.
                with translation.override(user_language(export.requested_by)):
                    pdf = render_plan_pdf(
                        plan_to_dict(load_plan(plan)),
                        lines=plan_print_lines(account_id=plan.key_account_id, today=today),
                    )
                archive.writestr(_pdf_name(plan.key_account, taken), pdf)
                PlanExport.objects.filter(pk=export.pk).update(done=F("done") + 1)
                checkpoint("export:pdf-written")
        os.replace(partial, final)
    except Exception as error:
        partial.unlink(missing_ok=True)
        PlanExport.objects.filter(pk=export.pk).update(
            status=PlanExport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    PlanExport.objects.filter(pk=export.pk).update(
        status=PlanExport.Status.READY, file_name=file_name, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


PART_FILE = re.compile(r"^[A-Za-z0-9_-]+\.(part|zip)$")


def exports_cleanup(*, now: datetime | None = None) -> dict[str, int]:
    """Delete exports older than 24 hours (file and download), and leftovers of killed
    builds; mark failed the exports whose task was lost. Safe to run again: an expired export
    has no file left to delete."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=PlanExport.KEEP_HOURS)
    expired = list(
        PlanExport.objects.filter(status=PlanExport.Status.READY, finished_at__lt=cutoff)
    )
    for export in expired:
        path = export_path(export)
        if path is not None:
            path.unlink(missing_ok=True)
    PlanExport.objects.filter(pk__in=[e.pk for e in expired]).update(
        status=PlanExport.Status.EXPIRED, deleted_at=now
    )
    # Nothing stays "building" for ever (e.g. Redis restarted without its queued tasks).
    abandoned = PlanExport.objects.filter(
        status__in=[PlanExport.Status.PENDING, PlanExport.Status.RUNNING],
        created_at__lt=export_abandoned_before(now),
    ).update(status=PlanExport.Status.FAILED, error=EXPORT_ABANDONED, finished_at=now)
    leftovers = 0
    directory = Path(settings.MEDIA_ROOT) / EXPORTS_DIR
    if directory.is_dir():
        live = set(
            PlanExport.objects.filter(status=PlanExport.Status.READY).values_list(
                "file_name", flat=True
            )
        )
        for path in directory.iterdir():
            old = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < cutoff
            if old and PART_FILE.match(path.name) and f"{EXPORTS_DIR}/{path.name}" not in live:
                path.unlink(missing_ok=True)
                leftovers += 1
    return {"expired": len(expired), "abandoned": abandoned, "leftovers_deleted": leftovers}


def annual_review_complete(*, next_review_on: date, acting_user) -> Programme:
    """The programme admins held the annual review: the programme's review date moves to the
    next one (its history records who did it and when; reminders follow the new date)."""
    programme = Programme.ensure()
    return programme_update(
        programme=programme, data={"annual_review_on": next_review_on}, acting_user=acting_user
    )
