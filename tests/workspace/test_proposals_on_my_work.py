"""My work lists the customer proposals waiting for the reader's decision, across their
accounts: before, a manager learnt of one only from a notification or by opening each
account's opportunities page. Each links to the proposal's page, names the account and who
proposed it when; a decided or withdrawn one, another account's, a de-selected account's, and
accounts where the reader does not decide show nothing."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import KeyAccount
from tests import factories as f
from workspace.models import CustomerProposal

from .helpers import customer

pytestmark = pytest.mark.django_db

URL = reverse("delivery:index")


def _proposal(account, title, *, status="received", day=3, by="Clara Customer"):
    return CustomerProposal.objects.create(
        key_account=account,
        stakeholder=customer(account, name=by, email=f"{by.split()[0].lower()}@x.example"),
        title=title,
        need="Our planners reorder trays by hand.",
        benefit="No line stops.",
        status=status,
        submitted_at=datetime(2026, 11, day, 10, 0, tzinfo=UTC),
    )


def _section(html: str) -> str:
    return html.split("Customer proposals to answer</h2>")[1].split("</ul>")[0]


def test_my_work_lists_the_proposals_waiting_for_the_managers_decision(client_for, people, account):
    older = _proposal(account, "Returnable crates", day=2, by="Katrin Vogel")
    _proposal(account, "Shelf data share", day=5)
    _proposal(account, "Already taken up", status="accepted")
    _proposal(account, "Changed their mind", status="withdrawn")
    other = f.KeyAccountFactory(customer__name="Elsewhere GmbH")
    _proposal(other, "Not this manager's")

    html = client_for(people.manager).get(URL).content.decode()

    section = _section(html)
    link = reverse("workspace_team:proposal", args=[account.pk, older.pk])
    assert f'<a href="{link}">Returnable crates</a> — {account.name}' in section
    assert "Proposed by Katrin Vogel on 2 Nov 2026" in section
    # The longest waiting first.
    assert section.index("Returnable crates") < section.index("Shelf data share")
    assert "Already taken up" not in html and "Changed their mind" not in html
    assert "Not this manager" not in html
    # The director decides them too.
    assert "Returnable crates" in _section(client_for(people.director).get(URL).content.decode())


def test_readers_who_decide_no_proposal_see_no_such_section(client_for, people, account):
    _proposal(account, "Returnable crates")
    for person in (people.coordinator, people.executive):
        html = client_for(person).get(URL).content.decode()
        assert "Customer proposals to answer" not in html


def test_a_deselected_accounts_proposals_no_longer_wait(client_for, people, account):
    _proposal(account, "Returnable crates")
    KeyAccount.objects.filter(pk=account.pk).update(
        status=KeyAccount.Status.DESELECTED, deselection_reason="Volumes moved to a rival"
    )
    html = client_for(people.manager).get(URL).content.decode()
    assert "Returnable crates" not in html


def test_the_section_costs_one_query_for_any_number_of_accounts(client_for, people, account):
    _proposal(account, "First")
    client = client_for(people.manager)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(6):
        extra = f.KeyAccountFactory()
        f.MembershipFactory(user=people.manager, key_account=extra, role="manager")
        _proposal(extra, f"Idea {n}")
    client.get(URL)
    with CaptureQueriesContext(connection) as large:
        html = client.get(URL).content.decode()
    assert _section(html).count("<li") == 7
    assert len(large.captured_queries) == len(small.captured_queries)
