"""Builders for the objects URLs point at.

`build_kwargs(name, pattern, account=..., people=...)` returns real ids of objects that belong
to `account`, so the matrix test can call every URL. Builders are looked up first by
(URL name prefix, argument) — `pk` means different things on different pages — then by the
argument name alone. A URL with an argument nobody can build fails loudly: add a builder when
you add such a URL.
"""

from itertools import count

from tests import factories as f

_serial = count(1)


def _interview_idea(account, people):
    from discovery.models import OpportunityIdea

    interview = f.InterviewFactory(key_account=account, interviewer=people.manager)
    return OpportunityIdea.objects.create(interview=interview, title="Shared forecasting").pk


def _offering(account, people):
    from accounts.models import Programme
    from opportunities.models import Offering

    return Offering.objects.create(
        programme=Programme.current(), name=f"Cold-chain audit {next(_serial)}"
    ).pk


def _business_unit(account, people):
    from opportunities.models import BusinessUnit

    return BusinessUnit.objects.create(
        key_account=account, name=f"Frozen division {next(_serial)}"
    ).pk


def _workshop(account, people):
    from django.utils import timezone

    from opportunities.models import Workshop

    return Workshop.objects.create(
        key_account=account, held_on=timezone.localdate(), title="Value workshop"
    ).pk


# (URL name prefix, argument) -> builder(account, people) -> id
BY_NAME = {
    ("opportunities:opportunity_", "pk"): lambda a, p: f.OpportunityFactory(key_account=a).pk,
    ("opportunities:workshop_", "pk"): _workshop,
    ("opportunities:unit_", "pk"): _business_unit,
    ("opportunities:offering_", "pk"): _offering,
}

# argument -> builder(account, people) -> id
BY_ARGUMENT = {
    "account_id": lambda account, people: account.pk,
    "idea_id": _interview_idea,
}

NOT_OBJECTS = {"uidb64", "token"}


def build_kwargs(name, pattern, *, account, people) -> dict:
    kwargs = {}
    for argument in pattern.pattern.converters:
        if argument in NOT_OBJECTS:
            continue
        builder = next(
            (
                b
                for (prefix, arg), b in BY_NAME.items()
                if arg == argument and name.startswith(prefix)
            ),
            BY_ARGUMENT.get(argument),
        )
        if builder is None:
            raise AssertionError(
                f"no builder for argument {argument!r} of {name!r} in tests/security/url_objects.py"
            )
        kwargs[argument] = builder(account, people)
    return kwargs
