"""Forms of the customer workspace (both sides). They validate; services write."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.conflicts import RevisionField, RevisionFormMixin
from common.limits import NOTE_MAX_CHARS, Textarea
from discovery.models import Stakeholder
from planning.models import Review

from .models import AlignmentQuestion


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
    done = forms.TypedChoiceField(
        choices=(("1", _("Done")), ("0", _("Not done yet"))),
        coerce=lambda value: value == "1",
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


# The customer's own words a form of theirs sends: a tick's or a confirmation's note, a
# comment, a review's comments (c<id>). The "link no longer works" page gives them back when
# the link ended while they were writing.
WORDS_FIELD = re.compile(r"(note|text|c\d+)")


def words_sent(post) -> list[str]:
    return [
        value.strip()
        for name, values in post.lists()
        if WORDS_FIELD.fullmatch(name)
        for value in values
        if value.strip()
    ]
