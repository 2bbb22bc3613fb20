"""Print a fresh personal workspace link for a customer stakeholder (demo and support use).

`python manage.py workspace_link clara@example.com` (or a stakeholder id). Each time, the
stakeholder's invitation gets a new link and the one printed before stops working (nothing is
e-mailed).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from discovery.models import Stakeholder
from workspace.services import invitation_create, workspace_link


class Command(BaseCommand):
    help = "Print a fresh personal workspace link for a customer stakeholder (e-mail or id)."

    def add_arguments(self, parser):
        parser.add_argument("stakeholder", help="The stakeholder's e-mail address or id.")

    def handle(self, *args, stakeholder: str, **options):
        found = Stakeholder.objects.filter(archived_at__isnull=True).select_related("key_account")
        found = (
            found.filter(pk=int(stakeholder))
            if stakeholder.isdigit()
            else found.filter(email__iexact=stakeholder)
        )
        match = list(found[:2])
        if len(match) != 1:
            raise CommandError(
                f"{'No' if not match else 'More than one'} current stakeholder matches "
                f"{stakeholder!r}: give the stakeholder's id."
            )
        person = match[0]
        try:
            _invitation, token = invitation_create(
                account=person.key_account, stakeholder=person, acting_user=None, send=False
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{person.name} ({person.key_account.name}):")
        self.stdout.write(workspace_link(token))
