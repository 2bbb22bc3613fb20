"""The same dated things read by an English and a French user: French short dates are lower case
with French abbreviations ('6 déc. 2026', '3 févr. 2027', '1 août 2027'), never Django's
title-cased three letters ('6 Déc 2026', '3 Fév 2027', '1 Aoû 2027'); English is unchanged."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from planning import services
from planning.models import Action

from .test_pdf import pdf_text, pdf_url

DUE = (date(2026, 12, 6), date(2027, 2, 3), date(2027, 8, 1))
TITLES = ("Agree the chilled trial", "Sign the logistics annex", "Open the second depot")


@pytest.fixture
def actions(plan, people):
    return [
        services.action_save(
            plan=plan,
            data={"title": title, "owner": people.manager, "due_on": due_on},
            acting_user=people.manager,
        )
        for title, due_on in zip(TITLES, DUE, strict=True)
    ]


def _read_as(client_for, user, language, url) -> str:
    user.language = language
    user.save(update_fields=["language"])
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "shown", "wrong"),
    [
        ("en-gb", ("6 Dec 2026", "3 Feb 2027", "1 Aug 2027"), ("6 déc.", "3 févr.")),
        (
            "fr",
            ("6 déc. 2026", "3 févr. 2027", "1 août 2027"),
            ("6 Déc", "3 Fév", "1 Aoû", "6 Dec"),
        ),
    ],
)
def test_an_actions_due_date_on_the_plan_page(
    client_for, people, plan, actions, language, shown, wrong
):
    page = _read_as(
        client_for, people.manager, language, reverse("planning:plan", args=[plan.key_account_id])
    )
    for day in shown:
        assert f">{day}" in page, day
    for text in wrong:
        assert text not in page, text


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en-gb", (">6 Dec</span></td>", ">3 Feb</span></td>", ">1 Aug</span></td>")),
        ("fr", (">6 déc.</span></td>", ">3 févr.</span></td>", ">1 août</span></td>")),
    ],
)
def test_an_actions_due_date_on_my_work(client_for, people, actions, language, shown):
    # Waiting on others: listed whatever the due date.
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(status=Action.Status.WAITING)
    page = _read_as(client_for, people.manager, language, reverse("delivery:index"))
    for cell in shown:
        assert cell in page, cell


@pytest.mark.parametrize(
    ("language", "entry"),
    [
        ("en-gb", "Action “Sign the logistics annex” added to Max Manager, due 3 Feb 2027"),
        (
            "fr",
            "Action «\u00a0Sign the logistics annex\u00a0» ajoutée pour Max Manager, "
            "échéance le 3 févr. 2027",
        ),
    ],
)
def test_a_timeline_entry_with_a_date(client_for, people, plan, actions, language, entry):
    page = _read_as(
        client_for,
        people.manager,
        language,
        reverse("delivery:timeline", args=[plan.key_account_id]),
    )
    assert entry in page


def test_an_entry_stored_with_a_pattern_reads_as_the_named_format(client_for, people, account):
    # Entries written before the named formats stored the pattern ("j M Y") itself.
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.ACTION,
        summary="Action “Call Anna” added to Max Manager, due 3 Feb 2027",
        summary_message="Action “%(title)s” added to %(owner)s, due %(due)s",
        summary_args={
            "title": "Call Anna",
            "owner": "Max Manager",
            "due": {"dt": "2027-02-03", "f": "j M Y"},
        },
        occurred_at=timezone.now(),
    )
    url = reverse("delivery:timeline", args=[account.pk])
    assert "due 3 Feb 2027" in _read_as(client_for, people.manager, "en-gb", url)
    assert "échéance le 3 févr. 2027" in _read_as(client_for, people.manager, "fr", url)


@pytest.mark.parametrize(
    ("language", "shown", "wrong"),
    [
        ("en-gb", ("Due Action", "6 Dec 2026 3 Feb 2027 1 Aug 2027"), ("6 déc.", "3 févr.")),
        ("fr", ("Échéance Action", "6 déc. 2026 3 févr. 2027 1 août 2027"), ("6 Déc", "3 Fév")),
    ],
)
def test_an_actions_due_date_in_the_plan_pdf(
    client_for, people, plan, actions, language, shown, wrong
):
    people.manager.language = language
    people.manager.save(update_fields=["language"])
    _pages, text = pdf_text(client_for(people.manager).get(pdf_url(plan)))
    # The PDF's text reads the table's column of due dates before its titles.
    for part in shown:
        assert part in text, part
    for part in wrong:
        assert part not in text, part
