"""The notes re-scoring leaves in the audit history (what changed, what it did to the
customers) read in each reader's language: kept as message and values
(accounts.event_text.note), in a text column, so a long criterion name is never cut. A note
written before, in plain English, reads as it was stored."""

import json

from django.urls import reverse

from accounts.event_text import NOTE_MARKER
from accounts.models import Customer
from strategy.models import SelectionCriterion
from strategy.services import customers_import

from .test_rescoring import _edit, planted  # noqa: F401 (a fixture)

NBSP = "\u00a0"


def _french(user):
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def _page(client, name, *args) -> str:
    return client.get(reverse(name, args=args)).content.decode()


def test_a_new_weight_is_noted_in_each_readers_language(client_for, people, planted):  # noqa: F811
    _programme, criteria, customers, _spec = planted
    admin = client_for(people.programme_admin)
    _edit(admin, criteria["Potential spend"], weight=1)
    beta = customers["Beta Retail"]

    history = _page(admin, "audit:programme_history")
    assert (
        "Weight of &#x27;Potential spend&#x27; 3 → 1: 3 customers re-scored, 1 changed class"
        in history
    )
    detail = _page(admin, "strategy:customer_detail", beta.pk)
    assert "Streamline → Star<br>Re-scored: weight of &#x27;Potential spend&#x27; 3 → 1" in detail

    french = client_for(_french(people.programme_admin))
    history = _page(french, "audit:programme_history")
    assert (
        f"Poids de «{NBSP}Potential spend{NBSP}» 3 → 1{NBSP}: 3 clients renotés, "
        "1 a changé de classe" in history
    )
    assert "Weight of" not in history and "re-scored" not in history
    detail = _page(french, "strategy:customer_detail", beta.pk)
    assert f"<br>Renoté{NBSP}: poids de «{NBSP}Potential spend{NBSP}» 3 → 1" in detail
    account_history = _page(french, "audit:account_history", beta.key_account.pk)
    assert f"Renoté{NBSP}: poids de «{NBSP}Potential spend{NBSP}» 3 → 1" in account_history


def test_new_thresholds_are_noted_in_french(client_for, people, planted):  # noqa: F811
    admin = client_for(_french(people.programme_admin))
    admin.post(
        reverse("strategy:matrix_settings"),
        {
            "attractiveness_threshold": "80",
            "strength_threshold": "62.5",
            "key_account_limit_percent": "20",
        },
    )
    history = _page(admin, "audit:programme_history")
    assert (
        f"Seuil d&#x27;attractivité 50 → 80{NBSP}; seuil de force commerciale 50 → 62,5{NBSP}: "
        in history
    )
    people.programme_admin.language = "en"
    people.programme_admin.save(update_fields=["language"])
    history = _page(admin, "audit:programme_history")
    assert "Attractiveness split 50 → 80; strength split 50 → 62.5: " in history


def test_a_long_criterion_name_is_kept_whole(client_for, people, planted):  # noqa: F811
    _programme, criteria, customers, _spec = planted
    name = "Share of wallet " + "across every business unit, " * 3 + "x" * 20
    name = name[:120]
    assert len(name) == 120
    SelectionCriterion.objects.filter(pk=criteria["Share of wallet"].pk).update(name=name)
    admin = client_for(people.programme_admin)
    admin.post(
        reverse("strategy:criterion_archive", args=[criteria["Share of wallet"].pk]),
        {"archived": "1"},
    )
    stored = (
        Customer.history.filter(id=customers["Gamma Hotels"].pk)
        .order_by("-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    assert stored.startswith(NOTE_MARKER) and len(stored) > 200
    assert json.loads(stored[len(NOTE_MARKER) :])["en"] == f"Re-scored: '{name}' archived"
    detail = _page(admin, "strategy:customer_detail", customers["Gamma Hotels"].pk)
    assert f"Re-scored: &#x27;{name}&#x27; archived" in detail
    french = client_for(_french(people.programme_admin))
    detail = _page(french, "strategy:customer_detail", customers["Gamma Hotels"].pk)
    assert f"Renoté{NBSP}: «{NBSP}{name}{NBSP}» archivé" in detail
    history = _page(french, "audit:programme_history")
    # By hand: Alpha's strength 50 → 25 (Strategic → Star), Beta's 25 → 50 (Streamline →
    # Status), Gamma has none left (Strategic → not classified).
    assert f"«{NBSP}{name}{NBSP}» archivé{NBSP}: 3 clients renotés, 3 ont changé de classe" in (
        history
    )


def test_an_import_names_its_file_in_each_language(client_for, people, planted):  # noqa: F811
    _programme, criteria, customers, _spec = planted
    beta = customers["Beta Retail"]
    row = {field: getattr(beta, field) for field in ("reference", "name", "sector", "country")}
    row |= {"annual_revenue": beta.annual_revenue, "potential_spend": beta.potential_spend}
    row |= {"notes": beta.notes, "scores": {criteria["Potential spend"].pk: 5}}
    customers_import(rows=[row], acting_user=people.programme_admin, source="customers.csv")
    english = _page(client_for(people.programme_admin), "strategy:customer_detail", beta.pk)
    assert "<br>Re-scored: scores imported from customers.csv</li>" in english
    french = client_for(_french(people.programme_admin))
    detail = _page(french, "strategy:customer_detail", beta.pk)
    assert f"<br>Renoté{NBSP}: notes importées depuis customers.csv</li>" in detail


def test_a_note_written_before_in_plain_english_reads_as_stored(client_for, people, planted):  # noqa: F811
    _programme, criteria, customers, _spec = planted
    admin = client_for(people.programme_admin)
    _edit(admin, criteria["Potential spend"], weight=1)
    beta = customers["Beta Retail"]
    row = Customer.history.filter(id=beta.pk).order_by("-history_id").first()
    Customer.history.filter(history_id=row.history_id).update(
        history_change_reason="Re-scored: weight of 'Potential spend' 3 → 1"
    )
    criterion_row = criteria["Potential spend"].history.order_by("-history_id").first()
    type(criterion_row).objects.filter(pk=criterion_row.pk).update(
        history_change_reason="Weight of 'Potential spend' 3 → 1: 3 customers re-scored"
    )
    french = client_for(_french(people.programme_admin))
    detail = _page(french, "strategy:customer_detail", beta.pk)
    assert "<br>Re-scored: weight of &#x27;Potential spend&#x27; 3 → 1</li>" in detail
    history = _page(french, "audit:programme_history")
    assert "Weight of &#x27;Potential spend&#x27; 3 → 1: 3 customers re-scored" in history
