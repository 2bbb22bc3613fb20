"""The benchmark harness (bench/) stays in step with the product: its page list resolves, its
HTML scraping matches the real templates, its hello-world stays out of the product's URLconf,
and its report marks targets PASS or MISS. Fast, SQLite only; no server, no locust."""

import importlib
import json

import pytest
from django.contrib import admin
from django.urls import Resolver404, resolve, reverse

from accounts.models import KeyAccount
from bench import pages as bench_pages
from bench.httpload import percentile
from bench.pages import PAGES, Page, resolve_pages, role_usernames
from bench.query_budget import compare
from bench.report import build
from bench.scrape import account_ids, csrf_token


def test_every_page_names_one_url_and_is_requested_by_known_roles():
    keys = [page.key for page in PAGES]
    assert len(keys) == len(set(keys))
    for page in PAGES:
        assert bool(page.url_name) != bool(page.path), page.key
        assert set(page.roles) <= set(bench_pages.LOAD_MIX), page.key
        assert page.weight > 0
    assert sum(bench_pages.LOAD_MIX.values()) == 50


def test_pages_that_exist_today_resolve_to_url_templates():
    available, unavailable = resolve_pages()
    templates = {page["key"]: page["template"] for page in available}
    assert templates["home"] == "/"
    assert templates["account_list"] == "/accounts/"
    assert templates["account_overview"] == "/accounts/{account_id}/"
    assert all(page["reason"] for page in unavailable)


def test_a_page_whose_url_does_not_exist_yet_is_reported_not_available():
    available, unavailable = resolve_pages(
        [
            Page("later", "Later", url_name="nowhere:page"),
            Page("pdf", "PDF", path="/accounts/{account_id}/nothing.pdf", account=True),
            Page("overview", "Overview", path="/accounts/{account_id}/", account=True),
        ]
    )
    assert [page["key"] for page in available] == ["overview"]
    assert {page["key"]: page["reason"] for page in unavailable} == {
        "later": "URL name 'nowhere:page' does not resolve",
        "pdf": "/accounts/{account_id}/nothing.pdf does not resolve",
    }


def test_generated_scale_users_join_the_demo_users_of_their_role():
    assert role_usernames("manager", 3) == ["manager", "manager2", "gen0000mgr", "gen0001mgr"]
    assert role_usernames("director", 1) == ["director", "director2"]
    assert role_usernames("executive", 10) == ["executive"]


def test_scraping_matches_the_real_login_form_and_account_list(client_for, people, account):
    login_html = client_for(None).get(reverse("login")).content.decode()
    assert len(csrf_token(login_html)) > 20
    html = client_for(people.manager).get(reverse("accounts:account_list")).content.decode()
    assert account_ids(html) == [account.pk]


@pytest.fixture
def bench_urlconf(settings):
    """bench.urls sets the KeyAccount admin's page size; put it back for the other tests."""
    model_admin = admin.site._registry[KeyAccount]
    saved = model_admin.list_per_page
    settings.ROOT_URLCONF = "bench.urls"
    import bench.urls

    importlib.reload(bench.urls)  # whichever test loads it first, it applies its page size
    yield
    model_admin.list_per_page = saved


def test_hello_world_is_served_only_by_the_bench_urlconf(client, bench_urlconf):
    response = client.get("/bench/hello")
    assert response.status_code == 200
    assert response.content == b"Hello, world\n"
    assert admin.site._registry[KeyAccount].list_per_page == 25
    with pytest.raises(Resolver404):
        resolve("/bench/hello", urlconf="kam.urls")


def test_logged_in_yardsticks_need_a_login_and_stay_out_of_the_product(
    client_for, people, bench_urlconf, settings
):
    from bench import settings as bench_settings

    settings.TEMPLATES = bench_settings.TEMPLATES
    assert client_for(None).get("/bench/hello-user").status_code == 302
    client = client_for(people.director)
    assert client.get("/bench/hello-user").content.startswith(b"Hello, ")
    page = client.get("/bench/hello-page").content.decode()
    assert page.count("<h1") == 1 and "Programme" in page  # base.html's navigation
    for path in ("/bench/hello-user", "/bench/hello-page"):
        with pytest.raises(Resolver404):
            resolve(path, urlconf="kam.urls")


def test_bench_settings_route_to_bench_urls_and_send_cookies_over_plain_http():
    from bench import settings as bench_settings

    assert bench_settings.ROOT_URLCONF == "bench.urls"
    assert bench_settings.SESSION_COOKIE_SECURE is False
    assert bench_settings.CSRF_COOKIE_SECURE is False


def test_percentile_is_nearest_rank():
    values = sorted(float(n) for n in range(1, 101))
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 95) == 0.0


def _budget(accounts, counts):
    return {"accounts": accounts, "users": 9, "counts": counts, "unavailable": []}


def test_query_budget_flags_a_page_whose_queries_grow_with_the_data():
    same = compare(
        [
            ("1", _budget(12, {"list": {"manager": 6}})),
            ("10", _budget(192, {"list": {"manager": 6}})),
        ]
    )
    assert same["ok"] and same["rows"][0]["verdict"] == "same"
    grows = compare(
        [
            ("1", _budget(12, {"list": {"manager": 6}})),
            ("10", _budget(192, {"list": {"manager": 31}})),
        ]
    )
    assert not grows["ok"] and grows["rows"][0]["verdict"] == "grows (+25)"


FACTS = {
    "cpu": "Test CPU",
    "cores": 2,
    "memory_gib": 24.0,
    "date": "2026-11-23",
    "python": "3.11.7",
    "django": "5.2",
    "postgresql": "15",
    "database": "kam_bench",
    "database_size": "11 MB",
    "key_accounts": 192,
    "customers": 198,
    "users": 28,
    "memberships": 395,
    "speed_reference_ms": 84.3,
}


def _level(concurrency, throughput, median, p95, errors=0):
    return {
        "concurrency": concurrency,
        "seconds": 3,
        "requests": 100,
        "errors": errors,
        "throughput": throughput,
        "median_ms": median,
        "p95_ms": p95,
        "p99_ms": p95,
        "generator_cpu": 0.1,
        "error_kinds": {},
    }


def test_report_marks_met_targets_pass_and_missed_ones_miss(tmp_path):
    page = {
        "key": "account_list",
        "title": "Account list",
        "template": "/accounts/",
        "account": False,
        "roles": ["manager"],
        "weight": 1,
        "p95_target_ms": 150,
        "capacity_user": "executive",
        "pdf": False,
    }
    (tmp_path / "pages.json").write_text(json.dumps({"available": [page], "unavailable": []}))
    (tmp_path / "locust_stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,95%,99%\n"
        "GET,account_list,300,0,20,180,250\n"
    )
    (tmp_path / "locust_whole_run.json").write_text(
        json.dumps({"requests": {"account_list": {"times": [20, 30], "errors": {}}}})
    )
    hello = {"path": "/bench/hello", "user": "", "levels": [_level(1, 1000, 1, 2)]}
    hello["best"] = hello["levels"][0]
    ours = {"path": "/accounts/", "levels": [_level(1, 50, 30, 40)]}
    ours["best"] = ours["levels"][0]
    peer_admin = {"path": "/admin/", "levels": [_level(1, 100, 10, 15)]}
    peer_admin["best"] = peer_admin["levels"][0]
    (tmp_path / "capacity.json").write_text(
        json.dumps(
            {
                "p95_bound_ms": 200,
                "levels": [1],
                "seconds_per_level": 3,
                "targets": {"hello": hello, "account_list": {"user": "executive", **ours}},
                "peer": {"user": "admin", "ours": ours, "admin": peer_admin},
            }
        )
    )
    report = build(tmp_path, FACTS)
    assert "| Account list: p95 ≤ 150 ms under load | 180 ms | **MISS** |" in report
    assert "Account list no slower than 1.2× the admin changelist" in report
    assert "latency ×3.00, throughput ×0.50 of admin's | **MISS** |" in report
    assert "| No errors | 0 in the realistic load, 0 in capacity runs" in report
    assert "Errors: none" in report
    assert "5.0%" in report  # account list throughput as a share of hello-world's
    assert "| speed reference | 84.3 ms CPU for a fixed template of 2,000 rows" in report


def test_the_speed_reference_times_a_fixed_piece_of_work():
    from bench.report import speed_reference

    # Three runs, not the report's ten: what is checked here is that it measures at all.
    first, second = speed_reference(runs=3), speed_reference(runs=3)
    assert 0 < first < 5000 and 0 < second < 5000


def test_the_api_page_is_measured_with_a_token_made_on_the_tokens_page(client, people, account):
    from django.test import Client
    from django.utils import timezone

    from bench.api_token import CREATE_PATH, TOKENS_PAGE, token_from_page

    available, _ = resolve_pages()
    page = {p["key"]: p for p in available}["api_key_accounts"]
    assert page["template"] == "/api/v1/key-accounts/?limit=50" and page["api"]
    client.force_login(people.manager)
    made = client.post(
        CREATE_PATH,
        {"name": "Load test", "scope": "read", "expires_on": str(timezone.localdate())},
        follow=True,
    )
    assert made.request["PATH_INFO"] == TOKENS_PAGE
    token = token_from_page(made.content.decode())
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(page["template"])
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [account.pk]
