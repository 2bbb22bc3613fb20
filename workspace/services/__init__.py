"""Writes of the customer workspace. The team's side (invite, re-send, revoke, hold a review
with the customer, edit the questions) takes `acting_user`; the customer's side takes the
`invitation` the browser session is bound to (a link holder is no user).

Everything the customer does lands on the account's timeline (accounts.AccountEvent, with no
actor: the summary names the stakeholder) and is told to the account's manager and director
(notifications). A joint review answered worse than the one before opens one follow-up action
for the manager (on the current plan), once per review. The value opportunities a customer
proposes and the team's decision on them: `proposals`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import EventText, term
from accounts.models import AccountEvent, KeyAccount, Programme, Role
from accounts.permissions import customer_may_answer, customer_owns_action, people_to_tell
from accounts.selectors import user_language
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from common.constraints import refused_as
from delivery.services.progress import action_progress_update
from discovery.models import Stakeholder
from notifications.services import (
    OutsideMail,
    email_outside,
    notify_account_team,
    subject_text,
)
from planning import rules
from planning.models import AccountPlan, Action, PlanVersion, Review
from planning.services import plan_health_invalidate

from ..models import (
    DEFAULT_QUESTION_TEXTS,
    DEFAULT_QUESTIONS,
    AlignmentQuestion,
    Invitation,
    JointReview,
    PlanAcceptance,
    ReviewAnswer,
    ReviewResponse,
    WorkspaceComment,
)
from ..selectors import last_approved_version, review_scores
from .mails import REVIEW_PARAM as REVIEW_PARAM  # the views read it here
from .mails import invitation_mail, review_mail
from .mails import workspace_link as workspace_link  # the workspace_link command reads it here

TOKEN_PREFIX_CHARS = 10
# How much of a customer's comment or note the team's notification quotes (cut after a word).
NOTIFIED_WORDS = 160


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str, str]:
    token = secrets.token_urlsafe(32)
    return token, token[:TOKEN_PREFIX_CHARS], token_hash(token)


def _send_invitation(invitation: Invitation, token: str, mail=None) -> None:
    """`mail`: a callable that writes the e-mail (the invitation's by default)."""
    email_outside(
        mails=[
            OutsideMail(
                invitation.stakeholder.email,
                invitation.stakeholder.name,
                mail or partial(invitation_mail, invitation, token),
                invitation.stakeholder.mail_language(),
            )
        ]
    )


DESELECTED = gettext_lazy(
    "This account has been de-selected from the programme: it no longer shares a workspace "
    "with the customer."
)


def _check_account(account: KeyAccount) -> None:
    if not account.is_active:
        raise ValidationError(DESELECTED)


def _check_stakeholder(account: KeyAccount, stakeholder: Stakeholder) -> None:
    if stakeholder.key_account_id != account.pk or stakeholder.archived_at is not None:
        raise ValidationError({"stakeholder": _("Pick a current stakeholder of this account.")})
    if not stakeholder.email:
        raise ValidationError(
            {
                "stakeholder": _("%(name)s has no e-mail address: add one first.")
                % {"name": stakeholder.name}
            }
        )


@transaction.atomic
def invitation_create(
    *, account: KeyAccount, stakeholder: Stakeholder, acting_user, send: bool = True
) -> tuple[Invitation, str]:
    """A new personal link for `stakeholder`, e-mailed to them. Returns the invitation and the
    token (shown nowhere else: only its hash is kept). A stakeholder invited before (and not
    revoked) keeps their invitation with a new link in place of the old one."""
    _check_account(account)
    _check_stakeholder(account, stakeholder)
    # One link per stakeholder: inviting them again gives the invitation they have a new link
    # (the old one stops working), so that revoking it closes every way in. A second row kept
    # the first link working beside it, and "Revoke" on one row left the other open. The
    # database holds the rule too: a writer past this lock is refused there (`refused_as`).
    Stakeholder.objects.select_for_update().filter(pk=stakeholder.pk).first()  # one at a time
    invitation = (
        Invitation.objects.select_for_update()
        .filter(key_account=account, stakeholder=stakeholder, revoked_at__isnull=True)
        .select_related("stakeholder", "key_account")
        .first()
    )
    if invitation is not None:
        token = _new_link(invitation, sent=send)
        if send:
            _send_invitation(invitation, token)
        return invitation, token
    token, prefix, hashed = _new_token()
    now = timezone.now()
    meanwhile = _("%(name)s was invited by someone else a moment ago: their link is on its way.")
    with refused_as({"stakeholder": meanwhile % {"name": stakeholder.name}}):
        invitation = Invitation.objects.create(
            key_account=account,
            stakeholder=stakeholder,
            token_prefix=prefix,
            token_hash=hashed,
            created_by=acting_user,
            expires_at=now + timedelta(days=settings.WORKSPACE_LINK_DAYS),
            sent_at=now if send else None,
        )
    if send:
        _send_invitation(invitation, token)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.COMMENT,
        summary=EventText(
            gettext_noop("%(name)s invited to the customer workspace"), name=stakeholder.name
        ),
        acting_user=acting_user,
        link=reverse("workspace_team:invitations", args=[account.pk]),
    )
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, acting_user) -> str:
    """A fresh link (the old one stops working) with a fresh expiry, e-mailed again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was revoked: invite the stakeholder again."))
    _check_account(invitation.key_account)
    _check_stakeholder(invitation.key_account, invitation.stakeholder)
    token = _new_link(invitation)
    _send_invitation(invitation, token)
    return token


def _new_link(invitation: Invitation, *, sent: bool = True) -> str:
    """A fresh token and expiry on a locked invitation (the old link stops working)."""
    token, invitation.token_prefix, invitation.token_hash = _new_token()
    now = timezone.now()
    invitation.expires_at = now + timedelta(days=settings.WORKSPACE_LINK_DAYS)
    invitation.sent_at = now if sent else invitation.sent_at
    invitation.save(update_fields=["token_prefix", "token_hash", "expires_at", "sent_at"])
    return token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = acting_user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        account_event_record(
            account=invitation.key_account,
            kind=AccountEvent.Kind.COMMENT,
            summary=EventText(
                gettext_noop("Workspace link of %(name)s revoked"),
                name=invitation.stakeholder.name,
            ),
            acting_user=acting_user,
        )
    return invitation


@transaction.atomic
def invitations_revoke_all(*, account: KeyAccount, acting_user) -> int:
    """Every link of the account that still works stops working (the account was de-selected:
    the customer no longer sees the plan, its actions or its reviews). Returns how many."""
    live = Invitation.objects.filter(key_account=account, revoked_at__isnull=True).select_related(
        "stakeholder", "key_account"
    )
    revoked = [invitation_revoke(invitation=i, acting_user=acting_user) for i in live]
    return len(revoked)


def invitation_for_token(token: str) -> tuple[Invitation | None, str]:
    """(invitation, "ok") for a live link; (None, "unknown"), (None, "expired") or
    (None, "revoked") otherwise. Compared in constant time after a lookup by prefix."""
    if not token or len(token) > 100:
        return None, "unknown"
    hashed = token_hash(token)
    for candidate in Invitation.objects.filter(
        token_prefix=token[:TOKEN_PREFIX_CHARS]
    ).select_related("stakeholder", "key_account"):
        if secrets.compare_digest(candidate.token_hash, hashed):
            if candidate.revoked_at is not None:
                return None, "revoked"
            if candidate.expires_at <= timezone.now():
                return None, "expired"
            if candidate.stakeholder.archived_at is not None:
                return None, "revoked"
            if not candidate.key_account.is_active:
                return None, "revoked"
            return candidate, "ok"
    return None, "unknown"


@transaction.atomic
def workspace_visit(*, invitation: Invitation) -> None:
    """Count an opening of the link (the customer-activity health rule reads the last one)."""
    now = timezone.now()
    first_today = invitation.last_visit_at is None or timezone.localdate(
        invitation.last_visit_at
    ) != timezone.localdate(now)
    Invitation.objects.filter(pk=invitation.pk).update(
        last_visit_at=now, visits=invitation.visits + 1
    )
    if first_today:
        # Health reads the days since the last visit (an update sends no post_save); a second
        # visit the same day changes nothing it reads.
        _account_health_changed(invitation.key_account_id)
        account_event_record(
            account=invitation.key_account,
            kind=AccountEvent.Kind.COMMENT,
            summary=EventText(
                gettext_noop("Customer %(name)s opened the customer workspace"),
                name=invitation.stakeholder.name,
            ),
        )


def _account_health_changed(account_id: int) -> None:
    """What the workspace tells plan health changed for the account's current plan: its stored
    score and the plan page's cached document are stale."""
    plan_health_invalidate(
        plans=AccountPlan.objects.filter(key_account_id=account_id, is_current=True)
    )


# ---- what the customer does -----------------------------------------------------------------


def _names(invitation: Invitation, **more) -> dict:
    return {
        "name": invitation.stakeholder.name,
        "account": invitation.key_account.name,
        **more,
    }


def _tell_team(invitation: Invitation, text, link: str) -> None:
    """`text`: a callable the outbox calls in each recipient's language."""
    account = invitation.key_account
    leaders = people_to_tell(account_ids=[account.pk], roles=[Role.MANAGER, Role.DIRECTOR])
    notify_account_team(
        account=account,
        users=leaders.get(account.pk, []),
        text=text,
        link=link,
        acting_user=None,
    )


def _timeline_link(account_id: int) -> str:
    return reverse("workspace_team:satisfaction", args=[account_id])


def _tick_stale(saved: Action) -> str:
    """A stale tick, in the customer's words (their page shows done or not done yet)."""
    shown = _("Done") if saved.status == Action.Status.DONE else _("Not done yet")
    return _(
        "Your account team updated this action after your page was loaded: it is now “%(status)s”. "
        "Nothing was saved."
    ) % {"status": shown}


@transaction.atomic
def customer_action_tick(
    *, invitation: Invitation, action: Action, done: bool, note: str, revision: int | None
):
    """The customer marks one of their joint actions done or not done, with a note.

    `revision`: the action as the customer's page showed it. Saved since (the team marked it
    done), the tick is refused (`EditConflict`): "not done yet" picked against the old status
    would put a done action back in progress."""
    action = lock_for_edit(
        action,
        revision,
        queryset=Action.objects.select_related("plan"),
        message=_tick_stale,
    )
    if not customer_owns_action(invitation, action):
        raise ValidationError(_("This action is not yours to update."))
    if done:
        status = Action.Status.DONE
    elif action.status == Action.Status.DONE:
        status = Action.Status.IN_PROGRESS
    else:
        status = action.status
    note = note.strip()
    percent = 100 if done else min(action.progress_percent, 90)
    if status == action.status and percent == action.progress_percent and not note:
        # In the customer's words: their form has no percent (the progress service's own
        # message asks to "change the status or percent").
        raise ValidationError(_("Nothing changed: pick the other status or add a note."))
    update = action_progress_update(
        action=action,
        status=status,
        progress_percent=percent,
        note=note,
        revision=revision,
        acting_user=None,
        customer_name=invitation.stakeholder.name,
    )
    if not done:
        # Done: the progress service put the one entry on the timeline, naming the customer.
        account_event_record(
            account=invitation.key_account,
            kind=AccountEvent.Kind.ACTION,
            summary=EventText(
                gettext_noop("Customer %(name)s marked “%(title)s” not done yet"),
                name=invitation.stakeholder.name,
                title=action.title,
            ),
            reason=note,
            link=reverse("delivery:action_detail", args=[invitation.key_account_id, action.pk]),
        )
    names = _names(invitation, title=action.title, note=subject_text(note, NOTIFIED_WORDS))

    def told():  # the customer's note, if they wrote one, in what the team is told
        if done:
            if note:
                return (
                    _("Customer %(name)s marked “%(title)s” done (%(account)s): %(note)s") % names
                )
            return _("Customer %(name)s marked “%(title)s” done (%(account)s)") % names
        if note:
            return (
                _("Customer %(name)s marked “%(title)s” not done yet (%(account)s): %(note)s")
                % names
            )
        return _("Customer %(name)s marked “%(title)s” not done yet (%(account)s)") % names

    _tell_team(
        invitation,
        told,
        reverse("delivery:action_detail", args=[invitation.key_account_id, action.pk]),
    )
    return update


@transaction.atomic
def customer_comment(
    *,
    invitation: Invitation,
    text: str,
    plan_version: PlanVersion | None = None,
    action: Action | None = None,
) -> WorkspaceComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your comment first.")})
    if action is not None:
        action = Action.objects.select_related("plan").get(pk=action.pk)
        if not customer_owns_action(invitation, action):
            raise ValidationError(_("You can comment on your own actions only."))
        summary = EventText(
            gettext_noop("Customer %(name)s commented on “%(title)s”"),
            name=invitation.stakeholder.name,
            title=action.title,
        )
    elif plan_version is not None:
        if plan_version.plan.key_account_id != invitation.key_account_id:
            raise ValidationError(_("You can comment on your own account's plan only."))
        summary = EventText(
            gettext_noop("Customer %(name)s commented on the plan (%(kind)s %(number)s)"),
            name=invitation.stakeholder.name,
            kind=term(PlanVersion.Kind(plan_version.kind).label),
            number=plan_version.number,
        )
    else:
        raise ValidationError(_("Say what the comment is about."))
    comment = WorkspaceComment(
        key_account=invitation.key_account,
        stakeholder=invitation.stakeholder,
        plan_version=plan_version,
        action=action,
        text=text,
    )
    comment.full_clean()
    comment.save()
    account_event_record(
        account=invitation.key_account,
        kind=AccountEvent.Kind.COMMENT,
        summary=summary,
        reason=text,
        link=_timeline_link(invitation.key_account_id),
    )

    # Their words in the notification (and its e-mail), so the team reads what the customer
    # said where they are told of it; a long comment is cut after a word (the page has it all).
    words = subject_text(text, NOTIFIED_WORDS)

    def told():  # called by the outbox in each recipient's language
        if action is not None:
            return _("Customer %(name)s commented on “%(title)s” (%(account)s): %(comment)s") % (
                _names(invitation, title=action.title, comment=words)
            )
        return _(
            "Customer %(name)s commented on the plan (%(version)s) (%(account)s): %(comment)s"
        ) % _names(invitation, version=plan_version.label, comment=words)

    _tell_team(invitation, told, _timeline_link(invitation.key_account_id))
    return comment


@transaction.atomic
def customer_accept_plan(*, invitation: Invitation, plan_version: PlanVersion) -> PlanAcceptance:
    """Only the last approved version of the account's current plan can be accepted, once."""
    latest = last_approved_version(invitation.key_account_id)
    if latest is None or latest.pk != plan_version.pk:
        raise ValidationError(_("Only the latest agreed version of the plan can be accepted."))
    acceptance, created = PlanAcceptance.objects.get_or_create(
        plan_version=plan_version,
        stakeholder=invitation.stakeholder,
        defaults={"key_account": invitation.key_account, "accepted_at": timezone.now()},
    )
    if created:
        summary = EventText(
            gettext_noop("Customer %(name)s accepted the plan (%(kind)s %(number)s)"),
            name=invitation.stakeholder.name,
            kind=term(PlanVersion.Kind(plan_version.kind).label),
            number=plan_version.number,
        )
        account_event_record(
            account=invitation.key_account,
            kind=AccountEvent.Kind.PLAN,
            summary=summary,
            link=reverse("planning:version", args=[invitation.key_account_id, plan_version.number]),
        )
        _tell_team(
            invitation,
            lambda: (
                _("Customer %(name)s accepted the plan (%(version)s) (%(account)s)")
                % _names(invitation, version=plan_version.label)
            ),
            reverse("planning:versions", args=[invitation.key_account_id]),
        )
    return acceptance


# ---- joint alignment reviews ----------------------------------------------------------------


def questions_asked() -> list[AlignmentQuestion]:
    """The active questions a customer answers in a review (the defaults seeded the first
    time: a write, hence here and not among the selectors)."""
    return [q for q in questions_ensure_defaults() if q.is_active]


def questions_ensure_defaults(programme: Programme | None = None) -> list[AlignmentQuestion]:
    """The programme's questions, seeded with the defaults the first time."""
    programme = programme or Programme.ensure()
    questions = list(AlignmentQuestion.objects.filter(programme=programme))
    if not questions:
        questions = AlignmentQuestion.objects.bulk_create(
            AlignmentQuestion(programme=programme, kind=kind, text=text, position=i)
            for i, (kind, text) in enumerate(DEFAULT_QUESTIONS)
        )
    return questions


@transaction.atomic
def question_save(
    *, question: AlignmentQuestion | None, data: dict, revision: int | None, acting_user
) -> AlignmentQuestion:
    if question is None:
        question = AlignmentQuestion(programme=Programme.ensure())
    else:
        question = lock_for_edit(question, revision)
        bump_revision(question)
    stored_text = question.text
    for field in ("kind", "text", "position", "is_active"):
        if field in data:
            setattr(question, field, data[field])
    if "text" in data:
        # A default left as the form showed it (in the admin's language) stays the default.
        question.text = DEFAULT_QUESTION_TEXTS.kept(data["text"], stored_text)
    one_recommend = {"kind": _("The review asks one recommend question; edit that one.")}
    if (
        question.kind == AlignmentQuestion.Kind.RECOMMEND
        and question.is_active
        and AlignmentQuestion.objects.filter(
            programme=question.programme, kind=question.kind, is_active=True
        )
        .exclude(pk=question.pk)
        .exists()
    ):
        raise ValidationError(one_recommend)
    question.full_clean(validate_constraints=False)  # its one constraint: the check above
    with refused_as(one_recommend):  # a question saved meanwhile, past that check
        question.save()
    return question


@transaction.atomic
def joint_review_open(
    *, review: Review, participants, acting_user, send: bool = True
) -> JointReview:
    """Hold `review` with the customer: `participants` (stakeholders of the account with a
    workspace link) answer the alignment form in their workspace. Each participant newly
    asked gets an e-mail with a fresh personal link that opens the questions (`send`): nothing
    else tells them a review waits, and the link they were invited with may have expired."""
    account = review.plan.key_account
    participants = list(participants)
    if not participants:
        raise ValidationError({"participants": _("Pick at least one customer participant.")})
    if any(s.key_account_id != account.pk for s in participants):
        raise ValidationError({"participants": _("Pick stakeholders of this account.")})
    joint, created = JointReview.objects.get_or_create(
        review=review, defaults={"opened_by": acting_user}
    )
    already = set(joint.participants.values_list("pk", flat=True))
    joint.participants.add(*participants)
    if send:
        _check_account(account)
        _ask_to_answer(joint, [s for s in participants if s.pk not in already])
    if created:
        questions_ensure_defaults()
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.REVIEW,
            summary=EventText(
                gettext_noop("Quarterly review %(quarter)s held with the customer: %(people)s"),
                quarter=review.quarter,
                people=", ".join(s.name for s in participants),
            ),
            acting_user=acting_user,
            link=_timeline_link(account.pk),
        )
    return joint


def _ask_to_answer(joint: JointReview, stakeholders: list[Stakeholder]) -> None:
    """E-mail each stakeholder a fresh link to the review, on their latest invitation that was
    not revoked (the review form offers only stakeholders who have one)."""
    for stakeholder in stakeholders:
        invitation = (
            Invitation.objects.select_for_update()
            .filter(key_account=joint.review.plan.key_account, stakeholder=stakeholder)
            .filter(revoked_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if invitation is None or not stakeholder.email or stakeholder.archived_at is not None:
            continue
        token = _new_link(invitation)
        _send_invitation(
            invitation, token, partial(review_mail, invitation, token, joint.review, joint.pk)
        )


@transaction.atomic
def review_answer(
    *, invitation: Invitation, joint_review: JointReview, answers: dict
) -> ReviewResponse:
    """`answers`: question id -> (score, comment). Every asked question needs a score in its
    range; a participant answers once."""
    if not customer_may_answer(invitation, joint_review):
        raise ValidationError(_("This review is not yours to answer."))
    answered = _("You have already answered this review. Thank you!")
    if ReviewResponse.objects.filter(
        joint_review=joint_review, stakeholder=invitation.stakeholder
    ).exists():
        raise ValidationError(answered)
    questions = questions_asked()
    errors = {}
    for question in questions:
        score, _comment = answers.get(question.pk, (None, ""))
        if score is None or not question.low <= score <= question.high:
            errors[f"q{question.pk}"] = _("Pick a score from %(low)s to %(high)s.") % {
                "low": question.low,
                "high": question.high,
            }
    if errors:
        raise ValidationError(errors)
    stakeholder = invitation.stakeholder
    with refused_as(answered):  # a double submit: the first one's answers got in meanwhile
        response = ReviewResponse.objects.create(
            joint_review=joint_review,
            stakeholder=stakeholder,
            buying_role=stakeholder.buying_role,
            submitted_at=timezone.now(),
        )
    rows = []
    for question in questions:
        score, comment = answers[question.pk]
        row = ReviewAnswer(
            response=response,
            question=question,
            kind=question.kind,
            question_text=question.text,
            score=score,
            comment=(comment or "").strip(),
        )
        row.full_clean(exclude=["response"])
        rows.append(row)
    ReviewAnswer.objects.bulk_create(rows)
    # Plan health reads the answers (satisfaction), and bulk_create sends no post_save.
    _account_health_changed(invitation.key_account_id)
    quarter = joint_review.review.quarter
    account_event_record(
        account=invitation.key_account,
        kind=AccountEvent.Kind.REVIEW,
        summary=EventText(
            gettext_noop("Customer %(name)s answered the joint review %(quarter)s"),
            name=invitation.stakeholder.name,
            quarter=quarter,
        ),
        link=_timeline_link(invitation.key_account_id),
    )
    names = _names(invitation, quarter=quarter)
    _tell_team(
        invitation,
        lambda: _("Customer %(name)s answered the joint review %(quarter)s (%(account)s)") % names,
        _timeline_link(invitation.key_account_id),
    )
    followup_if_dropped(joint_review=joint_review)
    return response


def followup_if_dropped(*, joint_review: JointReview) -> Action | None:
    """A review answered worse than the account's previous one opens one action for the
    manager on the current plan (once per review)."""
    joint_review = JointReview.objects.select_for_update().get(pk=joint_review.pk)
    if joint_review.followup_action_id is not None:
        return None
    account = joint_review.review.plan.key_account
    scores = review_scores(account_id=account.pk)
    mine = next((i for i, row in enumerate(scores) if row.joint_review_id == joint_review.pk), None)
    if mine is None or mine == 0:
        return None
    latest, previous = scores[mine], scores[mine - 1]
    if not rules.satisfaction_dropped(
        latest=latest.average,
        previous=previous.average,
        recommend_latest=latest.recommend,
        recommend_previous=previous.recommend,
    ):
        return None
    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    manager = people_to_tell(account_ids=[account.pk], roles=[Role.MANAGER]).get(account.pk)
    if plan is None or not manager:
        return None
    # The action is the manager's to edit: written in their language.
    with translation.override(user_language(manager[0])):
        title = _("Follow up the drop in customer satisfaction (%(quarter)s)") % {
            "quarter": joint_review.review.quarter
        }
        notes = _(
            "Average rating %(average)s (was %(previous_average)s), recommend score "
            "%(recommend)s (was %(previous_recommend)s)."
        ) % {
            "average": latest.average_text,
            "previous_average": previous.average_text,
            "recommend": latest.recommend_text,
            "previous_recommend": previous.recommend_text,
        }
    action = Action(
        plan=plan,
        title=title[:250],
        owner=manager[0],
        due_on=timezone.localdate() + timedelta(days=14),
        is_internal=True,
        notes=notes,
    )
    action.full_clean()
    action.save()
    joint_review.followup_action = action
    joint_review.save(update_fields=["followup_action"])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.ACTION,
        summary=EventText(
            gettext_noop(
                "Satisfaction dropped in the joint review %(quarter)s: follow-up action for "
                "%(manager)s"
            ),
            quarter=joint_review.review.quarter,
            manager=manager[0].get_full_name() or manager[0].username,
        ),
        link=reverse("delivery:action_detail", args=[account.pk, action.pk]),
    )
    notify_account_team(
        account=account,
        users=manager,
        text=lambda: (
            _("Customer satisfaction dropped on %(account)s: follow up") % {"account": account.name}
        ),
        link=reverse("delivery:action_detail", args=[account.pk, action.pk]),
        acting_user=None,
    )
    return action
