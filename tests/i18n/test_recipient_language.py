"""Every notification and its e-mail are written in the RECIPIENT's language, whoever's request
(or job) wrote them (issue #23): an English-speaking actor's step reaches a French recipient in
French, a French-speaking actor's step reaches an English recipient in English. The actor's
language is the `translation.override` their request (or the worker) runs in. Customer
stakeholders have no language setting: their e-mails follow the person who sent them."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from accounts.models import Programme
from delivery import receivers
from delivery.services.comments import comment_post
from delivery.services.meetings import meeting_cancel, meeting_follow_up_create
from delivery.services.quotes import _ask_directors_to_approve
from notifications.models import Notification
from outcomes.services import customer_issue_save, customer_issues_escalate_overdue
from rhythm.services import annual_review_remind, digests_send, reviews_open_for_quarter
from workspace.services import customer_action_tick, invitation_create

from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    MeetingFactory,
    ProgrammeFactory,
    QuoteFactory,
    QuoteLineFactory,
    StakeholderFactory,
)

TODAY = timezone.localdate()
FEB = date(2027, 2, 5)  # a month whose short name differs in French ("Fév")


def _plan(account):
    return AccountPlanFactory(key_account=account, period="FY2027")


def _issue(account, owner, *, due, acting_user=None):
    return customer_issue_save(
        account=account,
        issue=None,
        fields={
            "title": "Late deliveries",
            "severity": "high",
            "owner": owner,
            "raised_on": due - timedelta(days=3),
            "due_on": due,
            "status": "open",
            "resolution": "",
            "customer_visible": False,
            "description": "",
        },
        acting_user=acting_user,
    )


def _meeting(account, people):
    meeting = MeetingFactory(
        key_account=account,
        title="Supply review",
        starts_at=datetime(2027, 2, 9, 9, 0, tzinfo=UTC),
        ends_at=datetime(2027, 2, 9, 10, 0, tzinfo=UTC),
        time_zone="UTC",
        scheduled_by=people.manager,
    )
    meeting.attendees.set([people.director])
    return meeting


def plan_submitted(people, account, actor):
    receivers.tell_directors_plan_submitted(None, plan=_plan(account), acting_user=actor)


def plan_returned(people, account, actor):
    receivers.tell_managers_plan_returned(
        None, plan=_plan(account), comment="More on logistics", acting_user=actor
    )


def plan_withdrawn(people, account, actor):
    receivers.tell_directors_plan_withdrawn(None, plan=_plan(account), acting_user=actor)


def plan_approved(people, account, actor):
    receivers.tell_managers_plan_approved(
        None, plan=_plan(account), version=SimpleNamespace(number=3), acting_user=actor
    )


def action_assigned(people, account, actor):
    action = ActionFactory(plan=_plan(account), title="Call Ana", owner=people.manager, due_on=FEB)
    receivers.tell_owner_action_assigned(None, action=action, acting_user=actor)


def comment_mention(people, account, actor):
    comment_post(account=account, text="@dana please look at the prices", acting_user=actor)


def meeting_cancelled(people, account, actor):
    meeting_cancel(meeting=_meeting(account, people), reason="", acting_user=actor)


def follow_up(people, account, actor):
    _plan(account)
    meeting_follow_up_create(
        meeting=_meeting(account, people),
        title="Send the price list",
        owner=people.director,
        due_on=TODAY + timedelta(days=7),
        acting_user=actor,
    )


def quote_discount(people, account, actor):
    quote = QuoteFactory(key_account=account, prepared_by=actor)
    QuoteLineFactory(quote=quote, discount_percent=40)
    _ask_directors_to_approve(quote, actor)


def issue_assigned(people, account, actor):
    _issue(account, people.manager, due=FEB, acting_user=actor)


def issue_escalated(people, account, actor):
    _issue(account, people.manager, due=TODAY - timedelta(days=2))
    customer_issues_escalate_overdue(today=TODAY)  # a job: the override is the worker's


def review_opened(people, account, actor):
    _plan(account)
    reviews_open_for_quarter(today=TODAY)  # a job


def annual_review(people, account, actor):
    programme = Programme.objects.order_by("pk").first() or ProgrammeFactory()
    programme.annual_review_on = FEB
    programme.save(update_fields=["annual_review_on"])
    annual_review_remind(today=FEB - timedelta(days=10))  # a job


def digest(people, account, actor):
    ActionFactory(plan=_plan(account), owner=people.director, due_on=TODAY - timedelta(days=3))
    digests_send(now=datetime.combine(TODAY, time(10, 0), tzinfo=ZoneInfo("Europe/London")))


def customer_ticks_an_action(people, account, actor):
    """The customer's own request, in the actor's language: the team reads theirs."""
    stakeholder = StakeholderFactory(key_account=account, name="Ana Buyer", email="ana@x.test")
    invitation, _token = invitation_create(
        account=account, stakeholder=stakeholder, acting_user=people.manager
    )
    action = ActionFactory(plan=_plan(account), title="Send volumes", customer_owner=stakeholder)
    customer_action_tick(
        invitation=invitation, action=action, done=True, note="", revision=action.revision
    )


# (step, who takes it, who is told, English words, French words)
CASES = [
    (plan_submitted, "manager", "director", "Max Manager submitted the", "a soumis le plan"),
    (plan_returned, "director", "manager", "returned the", "a renvoyé le plan"),
    (plan_withdrawn, "manager", "director", "back in draft", "repasse en brouillon"),
    (plan_approved, "director", "manager", "as version 3.", "en version 3."),
    (action_assigned, "director", "manager", "(due 05 Feb 2027)", "(échéance 05 févr. 2027)"),
    (comment_mention, "manager", "director", "mentioned you on", "vous a mentionné sur"),
    (meeting_cancelled, "manager", "director", "Tue 09 Feb 2027", "mar. 09 févr. 2027"),
    (follow_up, "manager", "director", "New follow-up for you", "Nouvelle action de suivi"),
    (quote_discount, "manager", "director", "asks you to approve", "vous demande d"),
    (issue_assigned, "director", "manager", "is yours to follow up", "Un problème client"),
    (issue_escalated, "manager", "director", "Escalated: the high", "Remontée\u00a0: le problème"),
    (review_opened, "manager", "director", "review of the", "du plan"),
    (annual_review, "manager", "programme_admin", "due on 05 Feb 2027", "prévue le 05 févr. 2027"),
    (digest, "manager", "director", "your attention", "votre attention"),
    (customer_ticks_an_action, "manager", "director", "“Send volumes” done", "comme faite"),
]


@pytest.mark.parametrize(
    ("actor_language", "recipient_language"), [("en-gb", "fr"), ("fr", "en-gb")]
)
@pytest.mark.parametrize(
    ("step", "actor", "recipient", "english", "french"),
    CASES,
    ids=[case[0].__name__ for case in CASES],
)
def test_the_recipient_reads_their_own_language(  # noqa: PLR0913 - the table's columns
    people,
    account,
    django_capture_on_commit_callbacks,
    step,
    actor,
    recipient,
    english,
    french,
    actor_language,
    recipient_language,
):
    reader = getattr(people, recipient)
    reader.language = recipient_language
    reader.save(update_fields=["language"])
    with (
        translation.override(actor_language),
        django_capture_on_commit_callbacks(execute=True),
    ):
        step(people, account, getattr(people, actor))
    row = Notification.objects.filter(user=reader).latest("pk")
    wanted, unwanted = (french, english) if recipient_language == "fr" else (english, french)
    assert wanted in row.text and unwanted not in row.text, row.text
    # The e-mail that goes with it too (its subject and body).
    assert wanted in row.email_body, row.email_body
    prefixes = {"en-gb": ("KAM Programme: ",), "fr": ("KAM Programme\u00a0: ",)}
    assert row.email_subject.startswith(prefixes[recipient_language]), row.email_subject


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en-gb", "Our shared account plan"), ("fr", "Notre plan de compte partagé")],
)
def test_a_stakeholder_gets_the_inviting_users_language(people, account, language, subject):
    stakeholder = StakeholderFactory(key_account=account, name="Ana Buyer", email="ana@x.test")
    with translation.override(language):
        invitation_create(account=account, stakeholder=stakeholder, acting_user=people.manager)
    row = Notification.objects.get(email_to="ana@x.test")
    assert row.email_subject.startswith(subject), row.email_subject


@pytest.mark.parametrize(
    ("language", "detail"),
    [("fr", "En retard depuis le 01 févr. 2027"), ("en-gb", "Overdue since 01 Feb 2027")],
)
def test_the_digests_items_are_in_the_recipients_language(people, account, language, detail):
    """The digests are built for everyone at once (in the worker's language); each item's
    title and detail are written when the recipient's e-mail is rendered."""
    people.director.language = language
    people.director.save(update_fields=["language"])
    ActionFactory(plan=_plan(account), owner=people.director, due_on=date(2027, 2, 1))
    worker = "en-gb" if language == "fr" else "fr"
    with translation.override(worker):
        digests_send(now=datetime(2027, 2, 8, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    row = Notification.objects.get(user=people.director)
    assert detail in row.email_body and detail in row.email_html, row.email_body
