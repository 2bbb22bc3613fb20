"""How much text a person may type into a field, in one place.

Every text a user edits has a limit, enforced by the form with a message at the field that
keeps what they typed (tests/common/test_text_limits.py fails on a form field without one).
The limits are generous for the writing each field is meant for and small enough that the
documents built from them (the plan PDF, the programme handbook, e-mails) stay bounded.
Single-line fields keep the lengths their model columns give (120–300 characters).

Textareas carry no `maxlength` attribute (`Textarea` below): a browser silently cuts a pasted
text at that length, losing its tail without a word, while the form's error keeps every
character and says how much to cut. The limit goes into `data-max-chars`, from which
static/js/text-limits.js shows a counter under the textarea.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext

# A comment, a reason, a progress note, a next step: a paragraph or two.
NOTE_MAX_CHARS = 2_000
# A description, a plan section, a programme text, a job specification: about two pages.
TEXT_MAX_CHARS = 5_000
# What people paste from their own documents: meeting and interview notes, profile sections.
LONG_TEXT_MAX_CHARS = 20_000
# A search box or a filter typed into the address.
SEARCH_MAX_CHARS = 200

# Form bodies (not files: uploads keep their own limit, common.uploads) may be this large, so
# that an over-long field reaches the form and gets its error with the text kept. Each field is
# at most LONG_TEXT_MAX_CHARS characters, a character takes up to 4 bytes in UTF-8 and 3 per byte
# once percent-encoded: 20,000 × 12 = 240 kB for the largest legal field. A body above this
# limit is refused with a page that says the text is still in the browser's form (kam.errors).
REQUEST_BODY_MAX_BYTES = 10 * 1024 * 1024


def too_long_message(limit: int) -> str:
    # %(show_value)s is left for Django's max_length error to fill.
    return gettext(
        "This text is too long to save: at most %(limit)s characters "
        "(it has %(show_value)s). Shorten it; your text is kept below."
    ).replace("%(limit)s", number_format(limit, force_grouping=True))


class Textarea(forms.Textarea):
    """A textarea whose limit is checked by the form, not cut by the browser (see above)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        limit = attrs.pop("maxlength", None)
        if limit is not None:
            attrs["data-max-chars"] = limit
            # The counter's words in the page's language (static/js/text-limits.js fills in
            # the numbers with the page's separators).
            attrs["data-count-text"] = gettext("%(used)s of %(limit)s characters")
            attrs["data-over-text"] = gettext(
                "%(used)s of %(limit)s characters: too long to save, shorten it"
            )
        return context


# Texts that documents print one line per item (the programme's objectives, a job
# specification's lists: the programme handbook) also have a number of lines: 5,000 characters
# typed as one character per line made a 530-page handbook.
LIST_MAX_LINES = 60


@deconstructible
class MaxLinesValidator:
    """At most `limit` non-empty lines, with a message that says how many there are."""

    def __init__(self, limit: int = LIST_MAX_LINES):
        self.limit = limit

    def __call__(self, value) -> None:
        lines = sum(1 for line in str(value or "").splitlines() if line.strip())
        if lines > self.limit:
            raise ValidationError(
                gettext(
                    "At most %(limit)s lines (this has %(lines)s): join short lines or shorten "
                    "the list. Your text is kept below."
                )
                % {"limit": self.limit, "lines": lines},
                code="too_many_lines",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxLinesValidator) and other.limit == self.limit
