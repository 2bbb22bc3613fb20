"""The e-mails of notifications: written with the notification, sent after the commit with
absolute links, and never lost nor sent twice when the mail server fails."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from notifications import services
from notifications.models import Notification
from rhythm import jobs
from rhythm.models import JobRun


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"

    def back_up():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return back_up


def test_the_email_carries_the_text_and_an_absolute_link(
    people, settings, django_capture_on_commit_callbacks
):
    settings.KAM_SITE_URL = "https://kam.example.com/"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=people.manager, text="Your plan was approved.", link="/accounts/7/")
    [message] = mail.outbox
    assert message.to == [people.manager.email]
    assert message.subject == "KAM Programme: Your plan was approved."
    assert message.body == "Your plan was approved.\n\nhttps://kam.example.com/accounts/7/\n"
    row = Notification.objects.get()
    assert row.link == "/accounts/7/"  # in the app the link stays relative
    assert row.email_status == "sent" and row.emailed_at is not None


def test_without_a_site_url_jobs_link_to_the_first_allowed_host(
    people, settings, django_capture_on_commit_callbacks
):
    settings.KAM_SITE_URL = ""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["kam.example.org", "localhost"]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=people.manager, text="Review due", link="/reminders/")
    assert "https://kam.example.org/reminders/" in mail.outbox[0].body


def test_the_email_waits_for_the_commit_and_a_rolled_back_step_sends_nothing(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(user=people.manager, text="Never happened", link="/")
            raise RuntimeError("the step failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_no_email_without_an_address_or_when_not_wanted(people, django_capture_on_commit_callbacks):
    people.manager.email = ""
    people.manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=people.manager, text="In the app only", link="/")
        services.notify(user=people.director, text="Not by e-mail", link="/", email=False)
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"none"}


def test_a_failed_email_stays_pending_and_the_sweep_sends_it_exactly_once(
    people, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=people.manager, text="Plan submitted", link="/accounts/1/plan/")
    row = Notification.objects.get()
    assert row.email_status == "pending" and row.email_attempts == 1
    assert "mail server down" in row.email_error
    assert mail.outbox == []
    # Still down at the next sweep: still waiting.
    assert services.emails_send_pending() == {"sent": 0, "failed": 1}
    mail_server_down()  # the server is back
    run = jobs.run_job(JobRun.Job.SEND_EMAILS, trigger="test")
    assert run.counts == {"sent": 1, "failed": 0}
    jobs.run_job(JobRun.Job.SEND_EMAILS, trigger="test")
    services.emails_send_pending(ids=[row.pk])
    assert [m.to for m in mail.outbox] == [[people.manager.email]]
    assert "/accounts/1/plan/" in mail.outbox[0].body
    row.refresh_from_db()
    assert row.email_status == "sent" and row.email_error == "" and row.email_attempts == 3


def test_an_email_that_keeps_failing_is_given_up_after_five_attempts(people, mail_server_down):
    services.notify(user=people.manager, text="Plan submitted", link="/")
    for _ in range(services.MAX_EMAIL_ATTEMPTS):
        services.emails_send_pending()
    row = Notification.objects.get()
    assert row.email_status == "failed" and row.email_attempts == services.MAX_EMAIL_ATTEMPTS
    mail_server_down()
    assert services.emails_send_pending() == {"sent": 0, "failed": 0}
    assert mail.outbox == []


def test_one_failing_address_does_not_hold_back_the_others(people, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOscar"
    services.notify_many(
        messages=[services.Message(u, "Reminder", "/") for u in (people.manager, people.outsider)]
    )
    assert services.emails_send_pending() == {"sent": 1, "failed": 1}
    statuses = dict(Notification.objects.values_list("user__username", "email_status"))
    assert statuses == {"max": "sent", "oscar": "pending"}


class RefusesOscar(BaseEmailBackend):
    def send_messages(self, email_messages):
        from django.core.mail.backends.locmem import EmailBackend

        for message in email_messages:
            if message.to == ["oscar@example.com"]:
                raise ValueError("mailbox unavailable")
        return EmailBackend().send_messages(email_messages)


def test_without_a_site_url_a_step_taken_on_a_page_links_to_that_pages_site(people, settings, rf):
    from notifications.links import SiteAddressMiddleware

    settings.KAM_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["kam.internal"]

    def page(request):
        services.notify(user=people.manager, text="Plan submitted", link="/accounts/1/plan/")
        return None

    SiteAddressMiddleware(page)(rf.get("/", HTTP_HOST="kam.internal", secure=True))
    row = Notification.objects.get()
    assert row.email_body == "Plan submitted\n\nhttps://kam.internal/accounts/1/plan/\n"


REVIEW = "Remontée\u00a0: la revue 2027-Q2 du plan Northwind Foods est ouverte depuis"  # 70


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # 79 characters end inside "planned": back to the word before, then "…".
        (
            "Quote Q-2026-0101 for Northwind Foods expired on 06 Dec 2026 without being planned",
            "Quote Q-2026-0101 for Northwind Foods expired on 06 Dec 2026 without being…",
        ),
        # 79 characters end with a whole word ("jours") and a space follows: it is kept.
        (
            f"{REVIEW} 31\u00a0jours (échéance)",
            f"{REVIEW} 31\u00a0jours…",
        ),
        # 79 characters end after "31": a no-break space follows, so "31" goes with "jours".
        (
            f"{REVIEW} xxxxx 31\u00a0jours",
            f"{REVIEW} xxxxx…",
        ),
        # Line breaks (a comment of several lines) become spaces; a no-break space stays one.
        ("Returned:\nsee the\r\ncomment\u00a0!", "Returned: see the comment\u00a0!"),
    ],
)
def test_a_subject_is_one_line_cut_after_a_whole_word(text, subject):
    assert services.subject_text(text) == subject
    assert len(services.subject_text(text)) <= 80
