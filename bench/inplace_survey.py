"""Single in-place editors against their own page (issue #22, bench/README.md findings 48–51
and 55–): for each editor named, its page's GET, the editor's htmx GET ("Edit" clicked) and the
htmx save of the form as it opened with one text changed, in a transaction rolled back; and
`hello_page` in the same loop (issue #22's yardstick: a save at least half its capacity).

The method of finding 48's survey, kept here so it can be run again: Django's test client in
one warm process, as the demo manager on their account with the most stakeholders (Helios
Retail Group on the demo); the runs interleaved in a rotating order
(`inplace_bench.timed_interleaved`), wall and CPU medians, statements and size of the last run.
Run old and new code alternately in fresh processes, several rounds, on a shared machine.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... \\
        python -m bench.inplace_survey --runs 15 meeting year opportunity
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench.inplace_bench import FORM_ENCODED, timed_interleaved


class _Forms(HTMLParser):
    """The fields of each form in an htmx answer, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[list]] = []  # each form's [name, value, kind]
        self.fields: list[list] = []
        self._in_form = False
        self._textarea = self._select = None
        self._select_first = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form, self.fields = True, []
            self.forms.append(self.fields)
        if not self._in_form or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append([a["name"], a.get("value", "on"), kind])
            else:
                self.fields.append([a["name"], a.get("value", ""), kind])
        elif tag == "textarea":
            self._textarea = [a["name"], "", "textarea"]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = {"name": a["name"], "multiple": "multiple" in a, "chosen": 0}
            self._select_first = None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select["chosen"] += 1
                self.fields.append([self._select["name"], value, "select"])

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            self._textarea[1] = self._textarea[1].removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._select["chosen"] and not self._select["multiple"]:
                self.fields.append([self._select["name"], self._select_first or "", "select"])
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_as_opened(html: str, *, change: str) -> list[tuple[str, str]]:
    """The fields of the opened form that has `change` (a text field's name), it changed."""
    parser = _Forms()
    parser.feed(html)
    form = next(f for f in parser.forms if any(name == change for name, _v, _k in f))
    fields = [(name, value) for name, value, _kind in form]
    return [(n, _changed(v) if n == change else v) for n, v in fields]


def _changed(value: str) -> str:
    """A text gets a word more; a number (an amount) one more."""
    try:
        return str(Decimal(value or "0") + 1)
    except InvalidOperation:
        return value + " (moved)"


def _editors(account) -> dict:
    """name -> (page URL, editor URL, htmx target, the text field changed)."""
    from django.urls import reverse

    from delivery.models import Meeting

    meeting = (
        Meeting.objects.filter(key_account=account, cancelled_at__isnull=True, notes="")
        .order_by("starts_at", "pk")
        .first()
    )
    year = account.profitability_years.order_by("-year").first()
    opportunity = account.opportunities.filter(status="qualified").order_by("pk").first()
    args = [account.pk]
    return {
        "meeting": (
            reverse("delivery:meeting_detail", args=[account.pk, meeting.pk]),
            reverse("delivery:meeting_edit", args=[account.pk, meeting.pk]),
            "meeting-record",
            "agenda",
        ),
        "year": (
            reverse("discovery:profitability", args=args),
            reverse("discovery:year_edit", args=[account.pk, year.pk]),
            "profitability-years",
            "other_costs",
        ),
        "opportunity": (
            reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk]),
            reverse("opportunities:opportunity_edit", args=[account.pk, opportunity.pk]),
            "opportunity-facts",
            "description",
        ),
    }


def measure(*, names: list[str], runs: int, username: str = "manager") -> dict:
    from django.db import transaction
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse

    from accounts.models import KeyAccount, User

    user = User.objects.get(username=username)
    account = (
        KeyAccount.objects.filter(memberships__user=user, memberships__role="manager")
        .annotate(n=Count("stakeholders", filter=Q(stakeholders__archived_at__isnull=True)))
        .order_by("-n", "pk")
        .first()
    )
    client = Client()
    client.force_login(user)
    editors = _editors(account)
    report = {"account": str(account), "runs": runs, "editors": {}}
    for name in names:
        page_url, edit_url, target, change = editors[name]
        headers = {"HX-Request": "true", "HX-Target": target}
        opened = client.get(edit_url, headers=headers)
        assert opened.status_code == 200, opened.status_code
        encoded = urlencode(form_as_opened(opened.content.decode(), change=change))

        def page(page_url=page_url):
            response = client.get(page_url)
            assert response.status_code == 200, response.status_code
            return response

        def open_form(edit_url=edit_url, headers=headers):
            response = client.get(edit_url, headers=headers)
            assert response.status_code == 200, response.status_code
            return response

        def save(edit_url=edit_url, headers=headers, encoded=encoded):
            with transaction.atomic():
                response = client.post(
                    edit_url, encoded, content_type=FORM_ENCODED, headers=headers
                )
                assert response.status_code == 200, (response.status_code, response.content[:600])
                transaction.set_rollback(True)
            return response

        def hello_page():  # issue #22's yardstick (bench/urls.py), in the same loop
            return client.get(reverse("bench_hello_page"))

        measured = {"page": page, "save": save, "open": open_form, "hello_page": hello_page}
        results = timed_interleaved(measured, runs)
        report["editors"][name] = {
            "results": results,
            "save_to_page": round(results["save"]["median_ms"] / results["page"]["median_ms"], 2),
            "save_to_page_cpu": round(
                results["save"]["cpu_median_ms"] / results["page"]["cpu_median_ms"], 2
            ),
            # Issue #22's target: the round trip at least half of hello_page's capacity.
            "share_of_hello_page": round(
                results["hello_page"]["median_ms"] / results["save"]["median_ms"], 2
            ),
            "share_of_hello_page_cpu": round(
                results["hello_page"]["cpu_median_ms"] / results["save"]["cpu_median_ms"], 2
            ),
        }
    return report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("editors", nargs="*", default=["meeting", "year", "opportunity"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--user", default="manager")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import logging

    import django

    django.setup()
    from kam.wsgi import settle_start_up

    settle_start_up()
    logging.getLogger("axes").setLevel(logging.WARNING)
    report = measure(names=args.editors, runs=args.runs, username=args.user)
    for name, row in report["editors"].items():
        parts = [
            f"{key} {r['median_ms']}/{r['cpu_median_ms']} ms {r['queries']}q {r['kib']}KiB"
            for key, r in row["results"].items()
        ]
        print(
            f"{name}: " + "; ".join(parts) + f"; save/page {row['save_to_page']} "
            f"(CPU {row['save_to_page_cpu']}); hello_page ÷ save {row['share_of_hello_page']} "
            f"(CPU {row['share_of_hello_page_cpu']})"
        )
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
