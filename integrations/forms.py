from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.conflicts import RevisionField, RevisionFormMixin
from common.uploads import read_csv_upload

from . import crm
from .models import Event, ObjectType, Source, WebhookSubscription


class SubscriptionForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()
    url = forms.URLField(
        label=_("Receiver URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Where the events are POSTed as signed JSON. Addresses on private networks are refused."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the receiver is told about."),
    )

    class Meta:
        model = WebhookSubscription
        fields = ["url", "description", "events", "is_active"]
        labels = {"is_active": _("Active (events are sent)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Save subscription")))


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Exported from"), choices=Source.choices)
    object_type = forms.ChoiceField(label=_("What the file holds"), choices=ObjectType.choices)
    file = forms.FileField(label=_("CSV file"), help_text=_("As the CRM exported it (UTF-8)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Check the file (nothing is saved yet)")))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None or "source" not in data or "object_type" not in data:
            return data
        try:
            self.upload = read_csv_upload(upload, delimiters=",;\t")
        except forms.ValidationError as error:
            self.add_error("file", error)
            return data
        missing = crm.missing_columns(self.upload.columns, data["source"], data["object_type"])
        if missing:
            self.add_error(
                "file",
                ngettext(
                    "The file lacks the column %(columns)s of a %(source)s %(kind)s export.",
                    "The file lacks the columns %(columns)s of a %(source)s %(kind)s export.",
                    len(missing),
                )
                % {
                    "columns": ", ".join(missing),
                    "source": Source(data["source"]).label,
                    "kind": ObjectType(data["object_type"]).label.lower(),
                },
            )
        return data
