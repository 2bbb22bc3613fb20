"""Django's makemessages, also extracting the timeline's plural messages: a call of
`event_text.ngettext_noop(singular, plural, count)` is an entry with a plural form, as
`ngettext`'s is (Django's documented way to add a keyword: `xgettext_options`)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]
