"""The customer workspace: invitations (personal links), what the customer does there
(comments, plan acceptances) and the joint alignment reviews they answer.

Nothing here is a Django user: a customer stakeholder (discovery.Stakeholder) reaches the
workspace through an invitation's link, which binds the browser session to that invitation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, Programme
from common.dates import validate_in_window
from common.default_texts import DefaultTexts
from common.history import HistoricalRecords
from common.limits import NOTE_MAX_CHARS
from discovery.models import Stakeholder
from planning.models import Action, PlanVersion, Review

# A customer proposal's title and rough size (its texts: NOTE_MAX_CHARS).
PROPOSAL_TITLE_MAX_CHARS = 200
PROPOSAL_SIZE_MAX_CHARS = 200


class Invitation(models.Model):
    """A customer stakeholder's personal link to the account's workspace. The token itself is
    never stored: only its SHA-256 (`token_hash`) and its first characters (`token_prefix`,
    to find the row without scanning), so a copy of the database opens no workspace."""

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="workspace_invitations"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="workspace_invitations"
    )
    token_prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    expires_at = models.DateTimeField(validators=[validate_in_window])
    revoked_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_visit_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One link per stakeholder (services.invitation_create gives a new link to the
            # invitation they have); a revoked one is kept as the record of who closed it.
            models.UniqueConstraint(
                fields=["key_account", "stakeholder"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_invitation_per_stakeholder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} on {self.key_account}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return gettext("Revoked")
        if self.expires_at <= timezone.now():
            return gettext("Expired")
        return pgettext("workspace link", "Active")


class WorkspaceComment(models.Model):
    """A customer stakeholder's comment on an approved plan version or on one of their
    actions. Shown to the team and to its writer only, never to other stakeholders."""

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="workspace_comments"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="workspace_comments"
    )
    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="customer_comments"
    )
    text = models.TextField(max_length=NOTE_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_version__isnull=False) | Q(action__isnull=False),
                name="workspace_comment_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PlanAcceptance(models.Model):
    """A customer stakeholder accepted an approved plan version: who, when, which version."""

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="plan_acceptances"
    )
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="plan_acceptances"
    )
    accepted_at = models.DateTimeField(validators=[validate_in_window])

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_version", "stakeholder"], name="one_acceptance_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} accepted {self.plan_version}"


class AlignmentQuestion(models.Model):
    """One question of the joint alignment review, per programme (the programme admin edits
    them). One "recommend" question (0–10) and any number of 1–5 ratings."""

    class Kind(models.TextChoices):
        RECOMMEND = "recommend", _("Likelihood to recommend (0–10)")
        RATING = "rating", _("Rating (1–5)")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="alignment_questions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RATING)
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("Asked"), default=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            # The review's score to recommend is one question's answer (services.question_save).
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(kind="recommend", is_active=True),
                name="one_recommend_question_asked",
                violation_error_message=_("The review asks one recommend question; edit that one."),
            ),
        ]

    def __str__(self) -> str:
        return self.shown_text

    @property
    def shown_text(self) -> str:
        """The question in the reader's language while it is the default the app wrote; as
        the programme admin typed it once they have reworded it."""
        return DEFAULT_QUESTION_TEXTS.shown(self.text)

    @property
    def low(self) -> int:
        return 0 if self.kind == self.Kind.RECOMMEND else 1

    @property
    def high(self) -> int:
        return 10 if self.kind == self.Kind.RECOMMEND else 5


# The questions every programme starts with (`services.questions_ensure_defaults`): stored in
# English, read in each reader's language until a programme admin rewords them.
DEFAULT_QUESTIONS = (
    (
        AlignmentQuestion.Kind.RECOMMEND,
        gettext_noop("How likely are you to recommend us to a colleague?"),
    ),
    (AlignmentQuestion.Kind.RATING, gettext_noop("How satisfied are you with our service?")),
    (
        AlignmentQuestion.Kind.RATING,
        gettext_noop("How much value does our work together bring you?"),
    ),
    (AlignmentQuestion.Kind.RATING, gettext_noop("How would you rate our working relationship?")),
)
DEFAULT_QUESTION_TEXTS = DefaultTexts(text for _kind, text in DEFAULT_QUESTIONS)


class JointReview(models.Model):
    """A quarterly review held with the customer: the stakeholders asked to answer the
    alignment form in the workspace, and the follow-up action a drop opened (once)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="joint")
    participants = models.ManyToManyField(Stakeholder, related_name="joint_reviews")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    followup_action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-review__opened_on", "-pk"]

    def __str__(self) -> str:
        return f"Joint review {self.review.quarter}"


class ReviewResponse(models.Model):
    """One participant's answers to a joint review (one per stakeholder and review). The
    stakeholder's buying-centre role is kept as it was, for results per role over time."""

    joint_review = models.ForeignKey(
        JointReview, on_delete=models.CASCADE, related_name="responses"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="review_responses"
    )
    buying_role = models.CharField(max_length=20, choices=Stakeholder.BuyingRole.choices)
    submitted_at = models.DateTimeField(validators=[validate_in_window])

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint_review", "stakeholder"], name="one_response_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} on {self.joint_review}"


class ReviewAnswer(models.Model):
    response = models.ForeignKey(ReviewResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AlignmentQuestion, on_delete=models.PROTECT, related_name="+")
    # Copied from the question when answered: wording changes later do not rewrite answers.
    kind = models.CharField(max_length=12, choices=AlignmentQuestion.Kind.choices)
    question_text = models.CharField(max_length=200)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)

    class Meta:
        ordering = ["question__position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=10), name="review_answer_score_max_10"),
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.score}"

    @property
    def shown_question_text(self) -> str:
        """The question as it was asked, in the reader's language if it was a default."""
        return DEFAULT_QUESTION_TEXTS.shown(self.question_text)


class CustomerProposal(models.Model):
    """A value opportunity a customer stakeholder proposes in the workspace: their need, the
    benefit they expect, a rough size and timing. The account team accepts it (an opportunity
    in the normal pipeline, not scored yet, linked here: `opportunity`) or declines it with a
    reason the customer reads; the customer withdraws it while it waits."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("customer proposal", "Received")
        ACCEPTED = "accepted", pgettext_lazy("customer proposal", "Accepted")
        DECLINED = "declined", pgettext_lazy("customer proposal", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("customer proposal", "Withdrawn")

    class Timing(models.TextChoices):
        SOON = "soon", _("As soon as possible")
        QUARTER = "quarter", _("Within 3 months")
        HALF_YEAR = "half_year", _("Within 6 months")
        YEAR = "year", _("Within a year")
        LATER = "later", _("Later")

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="customer_proposals"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="customer_proposals"
    )
    title = models.CharField(_("Title"), max_length=PROPOSAL_TITLE_MAX_CHARS)
    need = models.TextField(_("What you need"), max_length=NOTE_MAX_CHARS)
    benefit = models.TextField(_("Expected benefit for you"), max_length=NOTE_MAX_CHARS)
    rough_size = models.CharField(_("Rough size"), max_length=PROPOSAL_SIZE_MAX_CHARS, blank=True)
    timing = models.CharField(_("Timing"), max_length=12, choices=Timing.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    submitted_at = models.DateTimeField(validators=[validate_in_window])
    # When it left "received": decided by the team (decided_by) or withdrawn by the customer.
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The team's words to the customer with its decision: why it is declined (required), or a
    # note with an acceptance.
    team_reply = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    # The opportunity it became (opportunities never imports the workspace: the link is here).
    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_proposal",
    )
    # Edit-conflict guard of the team's decision and the customer's withdrawal.
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(team_reply=""),
                name="customer_proposal_declined_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["key_account", "status"], name="customer_proposal_by_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.RECEIVED
