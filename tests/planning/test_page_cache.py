"""The plan page's cached document (planning/page_cache.py) is never stale: for every change
in the tables below, the page served after it (through the cache) equals the page rendered
fresh (the cache bypassed), for two viewers with different rights, and differs from the page
before the change. The cases are generated from the plan editor's registry (every kind that is
edited or removed in place, every section) and from a list of changes made elsewhere."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms as django_forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Programme, Role
from discovery.models import Stakeholder
from opportunities.models import Opportunity
from planning import page_cache, services
from planning.models import HealthRecord, Review
from planning.views.editing import EDITORS

from ..factories import UserFactory

VIEWERS = ("manager", "director", "team_member")


def plan_url(plan):
    return reverse("planning:plan", args=[plan.key_account_id])


def normalised(html: str) -> str:
    """The page less what differs on every response by design: CSRF tokens and CSP nonces."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def page(client, plan) -> str:
    response = client.get(plan_url(plan))
    assert response.status_code == 200
    return normalised(response.content.decode())


def fresh_page(client, plan) -> str:
    with page_cache.bypassed():
        return page(client, plan)


@pytest.fixture
def clients(people):
    made = {}
    for who in VIEWERS:
        made[who] = Client()
        made[who].force_login(getattr(people, who))
    return made


@pytest.fixture
def cached_plan(full_plan, settings):
    settings.PLAN_PAGE_CACHE_SECONDS = 600
    return full_plan


# ---- the plan's own editors, generated from planning.views.editing.EDITORS ------------------

PLAN_PATHS = ("plan", "objective__plan", "target__objective__plan")


def first_item(model, plan):
    for path in PLAN_PATHS:
        names = {field.name for field in model._meta.get_fields()}
        if path.split("__")[0] in names:
            return model.objects.filter(**{path: plan}).order_by("pk").first()
    raise AssertionError(f"no path from {model.__name__} to its plan")


def post_data(form) -> dict:
    """What the form would post as it opens, with its first free-text field changed."""
    data, changed = {}, False
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, django_forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = "" if value is None else value
        free_text = type(field) is django_forms.CharField and not field.widget.is_hidden
        if free_text and not changed and name != "revision":
            data[name] = f"{value or ''} changed in place"[: field.max_length or 1000]
            changed = True
    assert changed, f"{type(form).__name__} has no free-text field to change"
    return data


def edit_item(kind):
    def change(plan, people, client):
        editor = EDITORS[kind]
        item = first_item(editor.model, plan)
        form = editor.form(account=plan.key_account, plan=plan, instance=item, user=people.manager)
        url = reverse("planning:item_edit", args=[plan.key_account_id, kind, item.pk])
        response = client.post(url, post_data(form))
        assert response.status_code == 302, response.content.decode()[:2000]

    return change


def remove_item(kind):
    def change(plan, people, client):
        item = first_item(EDITORS[kind].model, plan)
        url = reverse("planning:item_remove", args=[plan.key_account_id, kind, item.pk])
        assert client.post(url, {"confirm": "yes", "reason": "test"}).status_code == 302

    return change


def save_section(section):
    def change(plan, people, client):
        from planning.forms import SectionForm

        plan.refresh_from_db()
        form = SectionForm(initial=SectionForm.initial_for(plan, section), section=section)
        url = reverse("planning:section_save", args=[plan.key_account_id, section])
        assert client.post(url, post_data(form)).status_code == 302

    return change


EDITOR_CASES = [
    *[(f"edit {kind}", edit_item(kind)) for kind, e in EDITORS.items() if e.model is not None],
    *[(f"remove {kind}", remove_item(kind)) for kind, e in EDITORS.items() if e.remove],
    *[(f"section {section}", save_section(section)) for section in services.SECTIONS],
]


# ---- changes made elsewhere -----------------------------------------------------------------


def rename_stakeholder(plan, people, client):
    stakeholder = Stakeholder.objects.filter(key_account=plan.key_account).order_by("pk").first()
    stakeholder.name = "Renamed Stakeholder"
    stakeholder.save()


def rename_user(plan, people, client):
    people.manager.first_name = "Maximilian"
    people.manager.save()


def change_opportunity(plan, people, client):
    opportunity = Opportunity.objects.filter(key_account=plan.key_account).first()
    opportunity.title = "A renamed opportunity"
    opportunity.save()


def rename_account(plan, people, client):
    account = plan.key_account
    account.relationship_stage = "partnership"
    account.save()


def change_team(plan, people, client):
    """A team member becomes a coordinator (their rights change), a newcomer joins."""
    member = Membership.objects.get(user=people.team_member, key_account=plan.key_account)
    member.role = Role.COORDINATOR
    member.save()
    newcomer = UserFactory(username="nina", first_name="Nina", last_name="Newmanager")
    Membership.objects.create(user=newcomer, key_account=plan.key_account, role=Role.MANAGER)


def submit(plan, people, client):
    services.plan_submit(plan=plan, acting_user=people.manager)


def approve(plan, people, client):
    services.plan_submit(plan=plan, acting_user=people.manager)
    plan.refresh_from_db()
    services.plan_approve(plan=plan, acting_user=people.director)


def return_with_comment(plan, people, client):
    services.plan_submit(plan=plan, acting_user=people.manager)
    plan.refresh_from_db()
    services.plan_return(
        plan=plan, comment="Please sharpen the targets.", acting_user=people.director
    )


def complete_review(plan, people, client):
    today = timezone.localdate()
    Review.objects.create(
        plan=plan,
        quarter="2026-Q4",
        opened_on=today - timedelta(days=3),
        due_on=today,
        completed_at=timezone.now() - timedelta(days=1),
    )


def health_job(plan, people, client):
    HealthRecord.objects.create(
        plan=plan, recorded_on=timezone.localdate() - timedelta(days=5), score=40
    )
    services.plan_health_refresh()
    services.plan_health_record()


def value_delivered(plan, people, client):
    from outcomes.models import ValueDelivered

    ValueDelivered.objects.create(
        key_account=plan.key_account,
        title="Line changeover halved",
        delivered_on=timezone.localdate(),
        amount=Decimal("12000"),
        currency="EUR",
        status=ValueDelivered.Status.CONFIRMED,
        confirmed_on=timezone.localdate(),
    )


def critical_issue(plan, people, client):
    from outcomes.models import CustomerIssue

    CustomerIssue.objects.create(
        key_account=plan.key_account,
        title="Deliveries late at the Lyon site",
        severity=CustomerIssue.Severity.CRITICAL,
        owner=people.manager,
        raised_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=7),
    )


def programme_currency(plan, people, client):
    programme = Programme.ensure()
    programme.currency = "CHF" if programme.currency != "CHF" else "USD"
    programme.save()


def next_day(plan, people, client, monkeypatch):
    later = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)


ELSEWHERE_CASES = [
    ("stakeholder renamed", rename_stakeholder),
    ("user renamed", rename_user),
    ("opportunity changed", change_opportunity),
    ("account's stage changed", rename_account, False),
    ("team changed", change_team, False),
    ("plan submitted", submit),
    ("plan approved", approve),
    ("plan returned with a comment", return_with_comment),
    ("quarterly review completed", complete_review),
    ("health job and trend", health_job),
    ("value delivered", value_delivered),
    ("critical customer issue", critical_issue),
    ("programme currency", programme_currency),
]


# (name, change, whether the page shows it: some facts are printed only in the PDF)
CASES = [(name, change, shows) for name, change, *shows in EDITOR_CASES + ELSEWHERE_CASES]


@pytest.mark.parametrize(
    ("change", "shows"),
    [(change, shows != [False]) for _n, change, shows in CASES],
    ids=[name for name, _c, _s in CASES],
)
def test_the_cached_page_is_the_fresh_page_after_every_change(
    cached_plan, people, clients, change, shows
):
    plan = cached_plan
    before = {who: page(clients[who], plan) for who in VIEWERS}  # fills the cache
    assert all(page(clients[who], plan) == before[who] for who in VIEWERS)  # served from it
    change(plan, people, clients["manager"])
    clients["manager"].get(plan_url(plan))  # the save's flash message, shown once
    for who in VIEWERS:
        served = page(clients[who], plan)
        assert served == fresh_page(clients[who], plan), who
        if shows:
            assert served != before[who], f"{who}: the change shows nowhere on the page"


def test_the_date_moving_on_renders_the_page_for_the_new_day(
    cached_plan, people, clients, monkeypatch
):
    plan = cached_plan
    before = page(clients["manager"], plan)
    next_day(plan, people, clients["manager"], monkeypatch)
    clients["manager"].force_login(people.manager)  # yesterday's session has timed out
    served = page(clients["manager"], plan)
    assert served == fresh_page(clients["manager"], plan)
    assert served != before  # actions fell overdue, targets moved


def test_each_language_gets_its_own_document(cached_plan, people, clients):
    plan = cached_plan
    client = clients["manager"]
    english = page(client, plan)
    client.cookies["django_language"] = "fr"
    french = page(client, plan)
    assert french == fresh_page(client, plan)
    assert "Santé du plan" in french and "Santé du plan" not in english


def test_two_viewers_with_different_rights_never_see_each_others_buttons(
    cached_plan, people, clients
):
    plan = cached_plan
    services.plan_submit(plan=plan, acting_user=people.manager)
    for _round in range(2):  # the second round is served from the cache
        director = page(clients["director"], plan)
        manager = page(clients["manager"], plan)
        member = page(clients["team_member"], plan)
        assert "Approve and freeze a version" in director
        assert "Approve and freeze a version" not in manager + member
        assert "Waiting for the account" in manager
        assert "?edit=action-" in manager and "?edit=action-" not in member


def test_the_cached_document_carries_each_responses_own_csrf_token(cached_plan, people, clients):
    plan = cached_plan
    client = clients["manager"]
    for _round in range(2):
        response = client.get(plan_url(plan))
        html = response.content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert tokens and page_cache.csrf_placeholder() not in html
    form_url = reverse("planning:submit", args=[plan.key_account_id])
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people.manager)
    html = csrf_client.get(plan_url(plan)).content.decode()
    html = csrf_client.get(plan_url(plan)).content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    plan.refresh_from_db()
    response = csrf_client.post(form_url, {"csrfmiddlewaretoken": token, "revision": plan.revision})
    assert response.status_code == 302


def test_an_editor_opened_by_the_query_string_is_never_cached(cached_plan, people, clients):
    plan = cached_plan
    client = clients["manager"]
    page(client, plan)
    opened = client.get(plan_url(plan) + "?add=action").content.decode()
    assert 'name="title"' in opened
    assert 'name="title"' not in page(client, plan)


def test_a_plan_page_cached_by_other_code_is_not_served(full_plan, people, settings, monkeypatch):
    """A deploy: the same plan, viewer, day and language, but the code that drew the cached
    document is not the code now running — the page is drawn again, not served."""
    settings.PLAN_PAGE_CACHE_SECONDS = 600
    client = Client()
    client.force_login(people.manager)
    url = reverse("planning:plan", args=[full_plan.key_account_id])
    drawn = []
    render = page_cache.plan_document

    def counting(request, **kwargs):
        original = kwargs["render"]

        def draw(token):
            drawn.append(1)
            return original(token)

        return render(request, **{**kwargs, "render": draw})

    monkeypatch.setattr(page_cache, "plan_document", counting)
    monkeypatch.setattr(page_cache, "code_digest", lambda: "before-the-deploy")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(drawn) == 1  # the second view was served from the cache
    monkeypatch.setattr(page_cache, "code_digest", lambda: "after-the-deploy")
    assert client.get(url).status_code == 200
    assert len(drawn) == 2
