from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UserSettingsForm(forms.Form):
    # Each language is named in its own language (settings.LANGUAGES), so a person who opened
    # the page in a language they cannot read still finds theirs.
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Follow my browser"))] + list(settings.LANGUAGES),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The language of your pages, of the e-mails you receive and of the PDFs made for you."
        ),
    )

    def __init__(self, *args, browser_language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if browser_language:
            # Says what "follow my browser" means for what is written outside a request: the
            # language the browser last asked for, named in itself like the others.
            self.fields["language"].choices = [
                ("", _("Follow my browser (now: %(language)s)") % {"language": browser_language})
            ] + list(settings.LANGUAGES)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes the <form> and its button
        self.helper.disable_csrf = True
