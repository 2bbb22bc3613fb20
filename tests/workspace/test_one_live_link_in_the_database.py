"""The database holds the workspace's "one at a time" rules too: one invitation not revoked per
stakeholder, one recommend question asked per programme. A save that races past the service's
check is refused there, and its user reads the service's own sentence, not a server error.
Databases that already broke a rule are resolved by workspace 0004 (nothing deleted)."""

import secrets
from contextlib import contextmanager
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from common.constraints import refused_as
from workspace import services
from workspace.models import AlignmentQuestion, Invitation
from workspace.services import questions_ensure_defaults, token_hash

from .helpers import customer

pytestmark = pytest.mark.django_db

STEP = import_module("workspace.migrations.0004_one_live_link_and_one_recommend_question")


def _invitation(account, stakeholder, *, days_ago=0, **extra) -> Invitation:
    token = secrets.token_urlsafe(32)
    row = Invitation.objects.create(
        key_account=account,
        stakeholder=stakeholder,
        token_prefix=token[:10],
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=30),
        **extra,
    )
    Invitation.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return row


@contextmanager
def someone_saves_first(monkeypatch, rival):
    """The race: between the service's check and its INSERT, another writer's row commits
    (written here just before the service's own, in the same test transaction: the refusal
    rolls it back with the rest of the request)."""

    @contextmanager
    def rival_first(error):
        rival()
        with refused_as(error):
            yield

    monkeypatch.setattr(services, "refused_as", rival_first)
    yield


def test_the_database_refuses_a_second_live_link_but_not_after_a_revoke(account):
    clara = customer(account)
    first = _invitation(account, clara)
    with pytest.raises(IntegrityError), transaction.atomic():
        _invitation(account, clara)
    Invitation.objects.filter(pk=first.pk).update(revoked_at=timezone.now())
    _invitation(account, clara)  # revoked rows are kept beside the live one
    assert Invitation.objects.filter(stakeholder=clara).count() == 2


def test_an_invitation_made_meanwhile_by_someone_else_gives_the_forms_message(
    client_for, people, account, monkeypatch
):
    clara = customer(account)
    with someone_saves_first(monkeypatch, lambda: _invitation(account, clara)):
        response = client_for(people.manager).post(
            reverse("workspace_team:invitations", args=[account.pk]), {"stakeholder": clara.pk}
        )
    assert response.status_code == 400
    assert (
        "Clara Customer was invited by someone else a moment ago: their link is on its way."
        in response.content.decode()
    )
    # The refused request kept nothing (the rival's row, written in its transaction here,
    # went with it).
    assert not Invitation.objects.filter(stakeholder=clara).exists()


def test_a_recommend_question_asked_meanwhile_gives_the_forms_message(
    client_for, people, monkeypatch
):
    questions_ensure_defaults()
    AlignmentQuestion.objects.filter(kind="recommend").update(is_active=False)

    def rival():
        AlignmentQuestion.objects.create(
            programme=Programme.ensure(), kind="recommend", text="Would you buy again?"
        )

    with someone_saves_first(monkeypatch, rival):
        response = client_for(people.programme_admin).post(
            reverse("workspace_team:questions"),
            {"text": "Would you tell a friend?", "kind": "recommend", "position": 9,
             "is_active": "on"},
        )  # fmt: skip
    assert response.status_code == 400
    assert "The review asks one recommend question; edit that one." in response.content.decode()
    assert not AlignmentQuestion.objects.filter(text="Would you tell a friend?").exists()


def test_the_migration_revokes_older_live_links_and_asks_one_recommend_question(
    people, account, other_account
):
    """Rows made before the rule (planted with the constraints' indexes dropped, inside the
    test's transaction: the rollback brings them back)."""
    clara = customer(account)
    ben = customer(account, name="Ben Buyer", email="ben@customer.example")
    with connection.cursor() as cursor:
        for name in ("one_live_invitation_per_stakeholder", "one_recommend_question_asked"):
            cursor.execute(f"DROP INDEX {name}")
    oldest = _invitation(account, clara, days_ago=9)
    older = _invitation(account, clara, days_ago=5)
    newest = _invitation(account, clara, days_ago=1)
    revoked = _invitation(account, clara, days_ago=20, revoked_at=timezone.now())
    bens = _invitation(account, ben, days_ago=3)
    questions_ensure_defaults()
    first = AlignmentQuestion.objects.get(kind="recommend")
    second = AlignmentQuestion.objects.create(
        programme=first.programme, kind="recommend", text="Would you buy again?", position=99
    )

    STEP.resolve(apps, None)

    live = Invitation.objects.filter(revoked_at__isnull=True)
    assert set(live) == {newest, bens}  # the newest link of each stakeholder keeps working
    for row in (oldest, older):
        row.refresh_from_db()
        assert row.revoked_at is not None and row.revoked_by is None
    assert Invitation.objects.count() == 5  # nothing deleted
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_active, second.is_active) == (True, False)  # first in the form's order
    assert (first.revision, second.revision) == (0, 1)  # an open edit of it is now stale
