"""Every edit form that carries a revision refuses a stale save, generated from the URL conf.

Each page of the URL conf is opened (objects built by tests/security/url_objects.py) by a
director, else a programme admin (the customer's pages by a stakeholder holding their personal
link), together with the in-place editors it links to
(`?section=…`, `?edit=…`). Every POST form on it with a filled-in hidden `revision` is an
edit form with a conflict check. For each one, the test plays two people who opened it at the
same revision: "they" save first; "you" then save from the same page and must get HTTP 409, with
their saved value beside yours, your input kept in the form and the new revision in it, so that
saving that page again goes through. A new edit form with a revision is tested without adding
anything here; `CHECKED_TODAY` makes sure none of today's quietly drops out, and a POST form
sent to an edit view (`EDIT_VIEW`) without a revision fails the test, so a new edit form
cannot be added without the check.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from itertools import count
from urllib.parse import parse_qs, urlsplit

from django.urls import resolve, reverse
from django.utils import timezone

from tests import factories as f
from tests.html_checks import page_problems
from tests.security.access_table import STATIC_KWARGS
from tests.security.test_permission_matrix import ALL_URLS
from tests.security.url_objects import (
    build_kwargs,
    current_plan,
    matrix_customer,
    workspace_token,
)

# The edit forms that have a conflict check today: (view name, non-id URL arguments).
CHECKED_TODAY = {
    "strategy:programme_edit",
    "strategy:customer_score",
    "discovery:section_edit[needs]",
    "opportunities:opportunity_edit",
    "planning:section_save[value_proposition]",
    "planning:section_save[swot]",
    "planning:section_save[csf]",
    "planning:item_edit[objective]",
    "planning:item_edit[target]",
    "planning:item_edit[action]",
    "planning:item_edit[engagement]",
    "planning:item_edit[risk]",
    "delivery:action_progress",
    "delivery:meeting_edit",
    "delivery:meeting_notes",
    "delivery:quote_edit",
    "organisation:team_change",
    "organisation:job_spec_edit[manager]",
    "rhythm:digest_settings",
    "strategy:criterion_edit",
    "strategy:customer_edit",
    "strategy:roadmap_edit",
    "strategy:matrix_settings",
    "discovery:stakeholder_edit",
    "discovery:interview_edit",
    "discovery:ratio_edit",
    "discovery:competitor_edit",
    "discovery:year_edit",
    "discovery:lifetime_value_edit",
    "discovery:relationship_update",
    "opportunities:workshop_edit",
    "opportunities:unit_edit",
    "opportunities:offering_edit",
    "opportunities:cell_set",
    "organisation:sponsor_set",
    "integrations:webhook_edit",
    "workspace:action_tick",
}

# Decision buttons carry a revision too, but are played by tests/common/test_decision_pages.py.
DECISION_VIEW = re.compile(
    r"(^|_)(approve|return|refuse|reject|submit|status|decide|cancel|apply|complete|select|"
    r"deselect|reclassify|archive|restore|action|undo_removal)$"
)

# The customer's one-click buttons carry a revision too: a decision each, not an edit (nothing
# typed to keep), refused on a stale page with a message; each with its test.
CUSTOMER_DECISIONS = {
    "workspace:proposal_withdraw": "tests/workspace/test_customer_proposals.py "
    "(a proposal decided since the page loaded is not withdrawn)",
    "workspace:value_confirm": "tests/workspace/test_workspace_outcomes.py "
    "(a stale page confirms nothing)",
}

# A POST form sent to a view named like this edits something that exists (or the one row of
# a settings page): it must carry a filled-in revision, so that a new edit form without the
# conflict check fails this test.
EDIT_VIEW = re.compile(r"(^|_)(edit|update|settings|set|save|change)$")

# Forms sent to such a view that really do not replace a saved version (they only create, or
# only append), each with the reason: {"app:view_name": "why"}. None today.
NOT_EDIT_FORMS: dict[str, str] = {
    "accounts:user_settings": "one choice (the language) of one's own account: only its owner "
    "sets it, and the last choice is the one meant",
}

# Pages that are files, not forms (or that end the session).
NOT_PAGES = ("pdf", "csv", "ics", "download", "calendar_feed", "logout", "healthz", "password_")

# A form whose text fields are not part of the saved thing (a progress note is a new entry
# each time, a relationship change needs a new stage) or that has numbers only changes this
# field instead: name -> (field, their value, your value[, their label, your label]).
CHANGE_INSTEAD = {
    "delivery:action_progress": ("progress_percent", "30", "60"),
    "workspace:action_tick": ("done", "1", "0", "Done", "Not done yet"),
    "discovery:lifetime_value_edit": ("horizon_years", "7", "9"),
    "discovery:year_edit": ("gross_sales", "1000", "2000", "1,000", "2,000"),
    "strategy:matrix_settings": ("attractiveness_threshold", "55", "60"),
    "discovery:relationship_update": (
        "relationship_stage",
        "interdependent",
        "integrated",
        "Interdependent",
        "Integrated",
    ),
}

# What a form also needs typed to be saved at all (a relationship change needs its reason).
ALSO_TYPE = {"discovery:relationship_update": {"reason": "Agreed at the quarterly review"}}

_serial = count(1)


# ---- reading forms out of a page --------------------------------------------------------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.labels, self.links = [], {}, []
        self._form = self._select = self._option = self._textarea = None
        self._label_for, self._label_text = None, ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "label":
            self._label_for, self._label_text = a.get("for"), ""
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "controls": [],
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        control = {"name": a.get("name"), "id": a.get("id"), "fixed": "readonly" in a}
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            # A checkbox or radio without a value sends "on"; other inputs send "".
            value = a.get("value", None if kind in {"checkbox", "radio"} else "")
            control.update(type=kind, value=value)
            control["checked"] = "checked" in a
        elif tag == "textarea":
            control.update(type="textarea", value="")
            self._textarea = control
        elif tag == "select":
            control.update(type="select", options=[], multiple="multiple" in a)
            self._select = control
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
            return
        else:
            return
        if control["name"]:
            self._form["controls"].append(control)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea["value"]
            # Browsers drop the one line break that follows <textarea>.
            self._textarea["value"] = (
                value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            )
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join(self._label_text.split())
            self._label_for = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._option is not None:
            self._option["text"] += data
        if self._label_for:
            self._label_text += data


def parse_forms(html):
    parser = _Forms()
    parser.feed(html)
    return parser


def revision_in(form):
    for control in form["controls"]:
        if control["type"] == "hidden" and control["name"].split("-")[-1] == "revision":
            return control
    return None


def form_data(form, **changes):
    data = {}
    for control in form["controls"]:
        kind, name = control["type"], control["name"]
        if kind in {"submit", "button", "image", "reset", "file"}:
            continue
        if kind in {"checkbox", "radio"}:
            if control["checked"]:
                value = control["value"]
                data.setdefault(name, []).append("on" if value is None else value)
        elif kind == "select":
            chosen = [o for o in control["options"] if o["selected"]]
            if not chosen and not control["multiple"] and control["options"]:
                chosen = control["options"][:1]
            data[name] = [o["value"] if o["value"] is not None else o["text"] for o in chosen]
        else:
            data.setdefault(name, []).append(control["value"])
    data.update({name: [value] for name, value in changes.items()})
    return data


def _form_key(action_path):
    match = resolve(action_path)
    words = [str(v) for k, v in sorted(match.kwargs.items()) if not str(v).isdigit()]
    return match.view_name + (f"[{','.join(words)}]" if words else "")


# ---- choosing what the two people change ---------------------------------------------------


def _plan_a_change(key, form, parsed):
    """(field name, their value, your value, their value as shown, yours as shown)."""
    view_name = key.split("[")[0]
    if view_name in CHANGE_INSTEAD:
        name, theirs, yours, *labels = CHANGE_INSTEAD[view_name]
        return name, theirs, yours, *(labels or (theirs, yours))
    n = next(_serial)
    for control in form["controls"]:
        plain_text = control["type"] in {"text", "textarea"} and "-" not in control["name"]
        if plain_text and not control["fixed"]:
            theirs, yours = f"Their edit {n}", f"My edit {n}"
            return control["name"], theirs, yours, theirs, yours
    # No text to type: pick other options of the first choice with several.
    for control in form["controls"]:
        if control["type"] == "radio":
            group = [c for c in form["controls"] if c["name"] == control["name"]]
            options = [(c["value"], parsed.labels.get(c["id"], c["value"])) for c in group]
        elif control["type"] == "select" and not control["multiple"]:
            options = [(o["value"], " ".join(o["text"].split())) for o in control["options"]]
        else:
            continue
        current = form_data(form).get(control["name"], [None])[0]
        others = [option for option in options if option[0] != current]
        mine = [option for option in options if option[0] == current]
        pair = others[:2] if len(others) >= 2 else others + mine
        if len(pair) == 2:
            (theirs, their_label), (yours, your_label) = pair
            return control["name"], theirs, yours, their_label, your_label
    raise AssertionError(f"{key}: nothing to change in the form")


# ---- the pages ------------------------------------------------------------------------------


def _prepare(name, account, people):
    """Objects a page needs before its edit forms show."""
    if name == "planning:plan":
        plan = current_plan(account)
        objective = f.ObjectiveFactory(plan=plan, owner=people.manager)
        f.TargetFactory(objective=objective)
        f.ActionFactory(plan=plan, owner=people.team_member)
        f.EngagementActivityFactory(
            plan=plan,
            our_person=people.manager,
            stakeholder=f.StakeholderFactory(key_account=account),
        )
        plan.risks.create(description="Key buyer leaves", owner=people.manager)
    elif name == "strategy:customer_score":
        f.CriterionFactory()
    elif name == "workspace:home":
        # One of the link holder's own actions, with its "Done / Not done yet" form.
        f.ActionFactory(plan=current_plan(account), customer_owner=matrix_customer(account))


def _extra_pages(account, people):
    """Edit forms that only show on a page in a certain state: notes once a meeting was held."""
    held = f.MeetingFactory(key_account=account, starts_at=timezone.now() - timedelta(days=2))
    return [reverse("delivery:meeting_detail", args=[account.pk, held.pk])]


class CustomerLink:
    """The customer's side: a stakeholder of the account with their personal link open (no
    login). Both writers of a customer form are that customer on two pages opened alike."""

    def __init__(self, account, people):
        self.account, self.people = account, people

    def enter(self, client):
        client.logout()
        token = workspace_token(self.account, self.people)
        assert client.get(reverse("workspace:enter", args=[token])).status_code == 302

    def __str__(self):
        return "customer link"


def _sign_in(client, user):
    if isinstance(user, CustomerLink):
        user.enter(client)
    else:
        client.force_login(user)


def _open(client, url, people, account):
    """(user, html) of the first of them who sees an edit form on the page (a director does
    not see the programme admin's matrix settings on the criteria page), else who sees it.
    The customer's pages (namespace `workspace`) are opened with the customer's link."""
    seen = (None, "")
    users = [people.director, people.programme_admin]
    if resolve(urlsplit(url).path).namespace == "workspace":
        users = [CustomerLink(account, people)]
    for user in users:
        _sign_in(client, user)
        response = client.get(url)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or not is_html:
            continue
        html = response.content.decode()
        if any(revision_in(form) for form in parse_forms(html).forms if form["method"] == "post"):
            return user, html
        if seen[0] is None:
            seen = (user, html)
    return seen


def _pages(client, account, people):
    """(url, user, html) of every page with at least one form, and the editors it links to."""
    urls = []
    for name, pattern in sorted(ALL_URLS.items()):
        if any(word in name for word in NOT_PAGES):
            continue
        _prepare(name, account, people)
        kwargs = {
            **STATIC_KWARGS.get(name, {}),
            **build_kwargs(name, pattern, account=account, people=people),
        }
        urls.append(reverse(name, kwargs=kwargs))
    urls += _extra_pages(account, people)
    seen = set()
    while urls:
        url = urls.pop(0)
        if url in seen:
            continue
        seen.add(url)
        user, html = _open(client, url, people, account)
        if user is None or "<form" not in html:
            continue
        yield url, user, html
        path = urlsplit(url).path
        for link in parse_forms(html).links:
            parts = urlsplit(link)
            query = parse_qs(parts.query)
            if parts.path in ("", path) and ("edit" in query or "section" in query):
                urls.append(f"{path}?{parts.query}")


def _edit_forms(client, account, people):
    """({form key: (url, user, action)} of the forms with a revision,
    {form key: url} of the forms sent to an edit view (EDIT_VIEW) without one)."""
    found, unchecked = {}, {}
    for url, user, html in _pages(client, account, people):
        for form in parse_forms(html).forms:
            if form["method"] != "post":
                continue
            action = form["action"] or url
            key = _form_key(urlsplit(action).path)
            revision = revision_in(form)
            if DECISION_VIEW.search(resolve(urlsplit(action).path).url_name or ""):
                continue  # a decision, not an edit: tests/common/test_decision_pages.py
            if key in CUSTOMER_DECISIONS:
                continue
            if revision is not None and revision["value"] != "":
                found.setdefault(key, (url, user, action))
            elif EDIT_VIEW.search(resolve(urlsplit(action).path).url_name or ""):
                unchecked.setdefault(key, url)
    return found, {k: url for k, url in unchecked.items() if k not in found}


# ---- the test -------------------------------------------------------------------------------


def _errors(html) -> list[str]:
    """The error messages a refused form shows (to say why in a failure)."""
    return re.findall(
        r"(?:invalid-feedback|text-danger|alert-danger)[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)", html
    )


def section_of(html, heading_id):
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def _form_on(html, url, action):
    return next(
        (
            form
            for form in parse_forms(html).forms
            if revision_in(form) is not None and (form["action"] or url) == action
        ),
        None,
    )


def _stale_save_refused(client, key, url, user, action) -> list[str]:
    # Opened afresh: testing an earlier form may have moved this one's row on (a progress
    # update and the plan's action editor share the action's revision).
    _sign_in(client, user)
    page = client.get(url).content.decode()
    parsed, form = parse_forms(page), _form_on(page, url, action)
    name, theirs, yours, their_label, your_label = _plan_a_change(key, form, parsed)
    stale = revision_in(form)["value"]
    also = ALSO_TYPE.get(key.split("[")[0], {})
    first = client.post(action, form_data(form, **also, **{name: theirs}))
    if first.status_code not in (302, 303):
        errors = _errors(first.content.decode())
        return [f"{key}: their save was refused ({first.status_code}: {errors}), from {url}"]
    second = client.post(action, form_data(form, **also, **{name: yours}))
    if second.status_code != 409:
        return [f"{key}: a stale save answered {second.status_code}, want 409 (from {url})"]
    html = second.content.decode()
    problems = []
    if "Edit conflict." not in html:
        problems.append(f"{key}: the 409 page does not show the conflict")
    elif their_label not in section_of(html, "conflict-title"):
        problems.append(f"{key}: their saved {name} ({their_label!r}) is not shown")
    elif your_label not in section_of(html, "conflict-yours-title"):
        problems.append(f"{key}: what you typed in {name} ({your_label!r}) is not shown")
    problems += [f"{key}: 409 page: {p}" for p in page_problems(html)]
    again = _form_on(html, url, action)
    if again is None:
        return [*problems, f"{key}: the 409 page has no form to save again"]
    if form_data(again)[name] != [yours]:
        problems.append(f"{key}: your {name} was not kept in the form")
    if revision_in(again)["value"] == stale:
        problems.append(f"{key}: the form still carries the stale revision {stale}")
    third = client.post(action, form_data(again))
    if third.status_code not in (302, 303):
        problems.append(f"{key}: saving again knowingly answered {third.status_code}")
    return problems


def test_every_edit_form_with_a_revision_refuses_a_stale_save_and_shows_both(
    client, people, account
):
    found, unchecked = _edit_forms(client, account, people)
    missing = sorted(CHECKED_TODAY - set(found))
    assert not missing, f"edit forms that lost their conflict check (or their page): {missing}"
    without = {k: url for k, url in unchecked.items() if k.split("[")[0] not in NOT_EDIT_FORMS}
    assert not without, (
        "edit forms without a revision (give them the common/conflicts.py check, or say in "
        f"NOT_EDIT_FORMS why they replace nothing): {without}"
    )
    failures = []
    for key, (url, user, action) in sorted(found.items()):
        failures += _stale_save_refused(client, key, url, user, action)
    assert not failures, "\n".join(failures)


def test_a_number_in_a_conflict_reads_as_the_pages_write_it():
    """The two versions listed their numbers as stored: '45.00' for a share the page writes
    '45', and '1234567.50' with the English point on a French page."""
    from decimal import Decimal

    from django import forms
    from django.utils import translation

    from common.conflicts import EditConflict, RevisionField, describe_conflict

    class Share(forms.Form):
        revision = RevisionField()
        share = forms.DecimalField(label="Share", decimal_places=2)
        amount = forms.DecimalField(label="Amount", decimal_places=2)

    typed = Share({"revision": "1", "share": "45.00", "amount": "1234567.50"})
    assert typed.is_valid()
    saved = Share(initial={"revision": 2, "share": Decimal("40.00"), "amount": Decimal("5")})
    with translation.override("fr"):
        details = describe_conflict(EditConflict(None, revision=2), form=typed, saved=saved)
        rows = {row.label: (row.theirs, row.yours) for row in details.rows}
    assert rows["Share"] == ("40", "45")
    assert rows["Amount"] == ("5", "1\u00a0234\u00a0567,50")
