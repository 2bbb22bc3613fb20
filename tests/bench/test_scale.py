"""The scale curve (bench/scale.py, issue #22): its verdicts and its section of the report.
Fast, no database: the measurements are planted."""

import json

from bench.report import build, scale_section
from bench.scale import judge, markdown

FACTS = {
    label: {
        "key_accounts": accounts,
        "users": 9,
        "plans": accounts,
        "actions": 50 * accounts,
        "opportunities": 10 * accounts,
        "stakeholders": 20 * accounts,
        "meetings": 5 * accounts,
    }
    for label, accounts in (("10", 192), ("100", 1992), ("500", 9992))
}


MACHINE = {
    "cpu": "Test CPU",
    "cores": 2,
    "memory_gib": 24.0,
    "date": "2026-12-04",
    "python": "3.11.7",
    "django": "5.2",
    "postgresql": "15",
    "database": "kam_bench",
    "database_size": "11 MB",
    "key_accounts": 1992,
    "customers": 1998,
    "users": 208,
    "memberships": 3995,
    "speed_reference_ms": 84.3,
}


def _row(page, user, queries, medians, runs=9):
    return {
        "case": f"{page}/{user}",
        "page": page,
        "user": user,
        "queries": dict(zip(("10", "100", "500"), queries, strict=True)),
        "median_ms": dict(zip(("10", "100", "500"), medians, strict=True)),
        "cpu_median_ms": dict(zip(("10", "100", "500"), medians, strict=True)),
        "runs": runs,
    }


def _data(rows, jobs=None):
    return {"sizes": ["10", "100", "500"], "facts": FACTS, "rows": rows, "jobs": jobs or {}}


def test_a_directors_page_is_flat_when_its_queries_stay_and_its_median_grows_at_most_half():
    data = judge(_data([_row("plan", "director", (19, 19, 19), (40, 50, 74.9))]))
    assert data["ok"] and data["rows"][0]["verdict"] == "PASS"
    assert data["rows"][0]["ratio"] == 1.5


def test_a_directors_page_misses_when_its_median_grows_past_half_or_a_query_is_added():
    slower = judge(_data([_row("account_list", "director", (6, 6, 6), (20, 20, 31))]))
    assert not slower["ok"] and slower["rows"][0]["verdict"] == "MISS"
    more = judge(_data([_row("my_work", "director", (9, 9, 10), (30, 30, 30))]))
    assert not more["ok"] and more["rows"][0]["verdict"] == "MISS"


def test_the_executives_pages_are_reported_without_a_target():
    data = judge(
        _data(
            [
                _row("dashboard", "executive", (21, 21, 21), (50, 200, 900)),
                _row("account_list", "executive", (6, 6, 7), (20, 21, 22)),
            ]
        )
    )
    assert data["ok"]
    assert [row["verdict"] for row in data["rows"]] == ["same queries", "queries grow"]
    assert [row["ratio"] for row in data["rows"]] == [4.5, 1.05]


def test_the_table_shows_queries_and_medians_per_size_and_the_jobs():
    jobs = {
        "500": [
            {
                "job": "open_reviews",
                "ms": 41234.5,
                "cpu_ms": 30001.0,
                "queries": 12345,
                "counts": {"plans": 9992, "opened": 9986},
                "on": "2026-12-04",
            }
        ]
    }
    data = judge(_data([_row("dashboard", "director", (21, 21, 21), (60, 61, 63))], jobs))
    table = markdown(data)
    assert "| 500 | 9,992 | 9 | 9,992 | 499,600 | 99,920 | 199,840 | 49,960 |" in table
    assert "| dashboard (cold) | director | 21 / 21 / 21 | 60 / 61 / 63 | 1.03× | PASS |" in table
    job = "| 500 | open_reviews (2026-12-04) | 41,234 | 30,001 | 12,345 | plans 9992, opened 9986 |"
    assert job in table


def test_the_report_names_the_scale_target_and_the_seeding_times(tmp_path):
    data = judge(
        _data(
            [
                _row("plan", "director", (19, 19, 19), (40, 50, 60)),
                _row("dashboard", "director", (21, 21, 21), (50, 50, 90)),
            ]
        )
    )
    targets = []
    timings = {"scale": "100", "seed_seconds": "40.5", "seed500_seconds": "181.2"}
    lines = scale_section(data, {**timings, "seed10_seconds": "9.0"}, targets)
    text = "\n".join(lines)
    assert "N=10: 9.0 s, N=100: 40.5 s, N=500: 181.2 s" in text
    assert targets[0][1] == "1 of 2 pass; largest ratio 1.8× (dashboard)"
    assert targets[0][2] == "**MISS**"
    (tmp_path / "scale.json").write_text(json.dumps(data))
    report = build(tmp_path, MACHINE)
    assert "## Scale curve (issue #22)" in report
    assert "N=100 → N=500: account list, overview, plan, my work, dashboard as a director" in report


def test_without_a_scale_run_the_report_says_not_measured(tmp_path):
    targets = []
    lines = scale_section(None, {}, targets)
    assert "Not measured in this run.\n" in lines
    assert targets[0][1:] == ("not measured", "n/a")
