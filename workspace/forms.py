"""Forms of the customer workspace (both sides). They validate; services write."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.conflicts import RevisionField, RevisionFormMixin
from common.limits import NOTE_MAX_CHARS, Textarea
from discovery.models import Stakeholder
from planning.models import Review

from .models import (
    PROPOSAL_SIZE_MAX_CHARS,
    PROPOSAL_TITLE_MAX_CHARS,
    AlignmentQuestion,
    CustomerProposal,
)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates write the <form> element and the submit button
    helper.disable_csrf = True
    return helper


class InviteForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        label=_("Customer stakeholder"),
        help_text=_("Only stakeholders with an e-mail address are listed."),
        error_messages={"required": _("Pick the stakeholder to invite.")},
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(
            key_account=account, archived_at__isnull=True
        ).exclude(email="")
        self.helper = _helper()


class JointReviewForm(forms.Form):
    participants = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Customer participants (they answer in their workspace)"),
        error_messages={"required": _("Pick at least one customer participant.")},
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Stakeholder.objects.filter(
            key_account_id=review.plan.key_account_id,
            archived_at__isnull=True,
            workspace_invitations__revoked_at__isnull=True,
        ).distinct()
        self.helper = _helper()


class AlignmentQuestionForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = AlignmentQuestion
        fields = ["text", "kind", "position", "is_active"]
        labels = {"text": _("Question"), "kind": _("Kind"), "position": _("Order")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["text"] = self.instance.shown_text  # a default in the admin's language
        self.helper = _helper()


class ActionTickForm(forms.Form):
    """The customer's "done / not done yet" on one of their actions, from the page that showed
    the action at `revision` (a stale page is refused: see `customer_action_tick`)."""

    DONE = "1"

    done = forms.ChoiceField(
        choices=((DONE, _("Done")), ("0", _("Not done yet"))),
        widget=forms.RadioSelect,
        label=_("Status"),
        error_messages={"required": _("Choose done or not done yet.")},
    )
    note = forms.CharField(
        widget=Textarea(attrs={"rows": 2}),
        required=False,
        max_length=NOTE_MAX_CHARS,
        label=_("Note (optional)"),
    )
    revision = RevisionField()

    @classmethod
    def as_saved(cls, action) -> ActionTickForm:
        """The form as a page drawn now would show `action` (what a conflict compares with)."""
        done = cls.DONE if action.status == action.Status.DONE else "0"
        return cls(initial={"done": done, "revision": action.revision})


class CommentForm(forms.Form):
    text = forms.CharField(
        widget=Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_CHARS,
        label=_("Your comment"),
        error_messages={"required": _("Write your comment first.")},
    )


class ReviewAnswerForm(forms.Form):
    """One score and one optional comment per asked question (fields q<id>, c<id>)."""

    def __init__(self, *args, questions: list[AlignmentQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                choices=[(str(n), str(n)) for n in range(question.low, question.high + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                label=question.shown_text,
                error_messages={
                    "required": gettext("Pick a score from %(low)s to %(high)s.")
                    % {"low": question.low, "high": question.high}
                },
            )
            self.fields[f"c{question.pk}"] = forms.CharField(
                widget=Textarea(attrs={"rows": 2}),
                required=False,
                max_length=NOTE_MAX_CHARS,
                label=_("Comment (optional)"),
            )

    def rows(self):
        return [
            (question, self[f"q{question.pk}"], self[f"c{question.pk}"])
            for question in self.questions
        ]

    def answers(self) -> dict:
        return {
            q.pk: (self.cleaned_data[f"q{q.pk}"], self.cleaned_data.get(f"c{q.pk}", ""))
            for q in self.questions
        }


class ProposalForm(forms.Form):
    """A value opportunity the customer proposes (the workspace's "Propose" page)."""

    title = forms.CharField(
        max_length=PROPOSAL_TITLE_MAX_CHARS,
        label=_("Title"),
        help_text=_("A few words, e.g. “Cold-chain tracking for our Erfurt plant”."),
        error_messages={"required": _("Give your proposal a short title.")},
    )
    need = forms.CharField(
        widget=Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_CHARS,
        label=_("What you need, or the problem to solve"),
        error_messages={"required": _("Say what you need, or the problem to solve.")},
    )
    benefit = forms.CharField(
        widget=Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_CHARS,
        label=_("Expected benefit for you"),
        help_text=_("What would change for you: costs, time, quality, risk…"),
        error_messages={"required": _("Say what you expect to gain from it.")},
    )
    rough_size = forms.CharField(
        max_length=PROPOSAL_SIZE_MAX_CHARS,
        required=False,
        label=_("Rough size (optional)"),
        help_text=_("E.g. sites, volumes or a budget range."),
    )
    timing = forms.ChoiceField(
        choices=[("", _("Not sure yet")), *CustomerProposal.Timing.choices],
        required=False,
        label=_("When would you need it? (optional)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ProposalDecisionForm(forms.Form):
    """The team accepts a customer's proposal (an opportunity) or declines it with a reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(
            ("accept", _("Accept: add it to our opportunities (not scored yet)")),
            ("decline", _("Decline")),
        ),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose accept or decline.")},
    )
    reply = forms.CharField(
        widget=Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_CHARS,
        required=False,
        label=_("Your answer to the customer"),
        help_text=_("The customer reads it in their workspace. Required to decline."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reply") or "").strip():
            self.add_error("reply", _("Say why you decline it: the customer reads your reason."))
        return cleaned


class PageLanguageForm(forms.Form):
    """The language picked on a workspace page (its buttons name each language in itself);
    `next` is the workspace page to go back to (views check it is one)."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
    )
    next = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


# The customer's own words a form of theirs sends: a tick's or a confirmation's note, a
# comment, a review's comments (c<id>), a proposal's texts. The "link no longer works" page
# gives them back when the link ended while they were writing.
WORDS_FIELD = re.compile(r"(note|text|c\d+|title|need|benefit|rough_size)")


def words_sent(post) -> list[str]:
    return [
        value.strip()
        for name, values in post.lists()
        if WORDS_FIELD.fullmatch(name)
        for value in values
        if value.strip()
    ]
