"""THE list of pages the benchmarks measure, and who requests them. Edit only this list when a
stage's page lands: the realistic load (locust), the capacity sweep, the query budgets and the
report all read it.

A page is named by its Django URL name (`url_name`) or, where the design fixes the path, by a
path template (`path`, with `{account_id}`). Pages whose URL does not resolve yet are skipped
everywhere with a "not available yet" line, so the harness runs on any branch.

`python -m bench.pages` (with DJANGO_SETTINGS_MODULE set) prints the resolved list as JSON:
that is how the locust process, which does not load Django, learns the URL templates.
"""

import json
import sys
from dataclasses import asdict, dataclass

# Roles in the realistic load, and how many of the 50 simulated people hold each.
LOAD_MIX = {"manager": 22, "director": 14, "coordinator": 8, "executive": 6}
# Roles the query budgets check (a team member has no generated users, so not in the load).
BUDGET_ROLES = ("director", "manager", "coordinator", "team_member", "executive")
# The demo user who plays each role in the query budgets (present at every scale).
BUDGET_USERS = {
    "director": "director",
    "manager": "manager",
    "coordinator": "coordinator",
    "team_member": "teammember",
    "executive": "executive",
}
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password seed_demo sets
ACCOUNT_PLACEHOLDER = 987654321
ALL_ROLES = ("manager", "director", "coordinator", "executive")


@dataclass(frozen=True)
class Page:
    key: str  # short name in the reports and locust stats
    title: str
    url_name: str = ""  # Django URL name; takes the account id as its one argument if `account`
    path: str = ""  # or a fixed path template with {account_id}
    account: bool = False  # the URL names one key account the user can see
    roles: tuple[str, ...] = ALL_ROLES  # who requests it in the realistic load
    weight: int = 1  # relative frequency among a user's requests
    p95_target_ms: int | None = None  # realistic-load target (None: reported, no target)
    capacity_user: str = ""  # measure capacity, logged in as this user ("" = not measured)
    pdf: bool = False  # a PDF: also measured by bench/pdf_bench.py
    query: str = ""  # a query string added to the URL, e.g. "?limit=50"
    # Called with a personal API token (Authorization: Bearer …), not the session cookie: the
    # load makes each person a token on their API tokens page after logging in, the query
    # budgets make one in the database (bench/api_token.py).
    api: bool = False


PAGES = [
    Page("home", "Home (role's own)", url_name="home", weight=3),
    Page(
        "account_list",
        "Account list",
        url_name="accounts:account_list",
        weight=3,
        p95_target_ms=150,
        capacity_user="executive",
    ),
    Page(
        "account_overview",
        "Account overview",
        url_name="accounts:account_detail",
        account=True,
        weight=4,
        p95_target_ms=150,
    ),
    # ---- stage pages: skipped with "not available yet" until their app defines the URL -----
    Page(
        "plan",
        "Account plan",
        url_name="planning:plan",  # fixed in kam/templatetags/kam_tags.py ACCOUNT_TABS
        account=True,
        weight=4,
        p95_target_ms=150,
        capacity_user="director",
    ),
    Page(
        "pipeline",
        "Opportunity pipeline",
        url_name="opportunities:index",
        roles=("manager", "director", "executive"),
        weight=2,
    ),
    Page(
        "my_work",
        "My work",
        url_name="delivery:index",
        roles=("manager", "coordinator"),
        weight=2,
    ),
    Page(
        "dashboard",
        "Portfolio dashboard",
        url_name="portfolio:dashboard",
        roles=("director", "executive"),
        weight=2,
        p95_target_ms=400,
    ),
    Page(
        "api_key_accounts",
        "API: key accounts, a page of 50",
        url_name="api_v1:key_account_list",
        query="?limit=50",
        roles=("manager", "director", "executive"),
        weight=1,
        p95_target_ms=150,
        api=True,
    ),
    Page(
        "plan_pdf",
        "Plan PDF",
        path="/accounts/{account_id}/plan.pdf",  # fixed by the design
        account=True,
        roles=("manager", "director"),
        weight=1,
        pdf=True,
    ),
]

# Capacity yardstick and peer comparison (bench/urls.py; never in the product's URLconf).
HELLO_PATH = "/bench/hello"
# Two more yardsticks, logged in as YARDSTICK_USER: the hello-world behind the log-in, and the
# app's empty page (base.html only). The plan page's share of each says where the gap lies.
HELLO_USER_PATH = "/bench/hello-user"
HELLO_PAGE_PATH = "/bench/hello-page"
YARDSTICK_USER = "director"
PEER_OURS = "/accounts/"
PEER_ADMIN = "/admin/accounts/keyaccount/"
PEER_USER = "admin"  # the demo superuser: sees every account on both pages


def role_usernames(role: str, scale: int) -> list[str]:
    """Demo users for a role, then the generated ones seed_demo --scale makes (gen####mgr/dir)."""
    blocks = max(scale - 1, 0)
    generated = {"manager": "mgr", "director": "dir"}
    base = {
        "manager": ["manager", "manager2"],
        "director": ["director", "director2"],
        "coordinator": ["coordinator"],
        "executive": ["executive"],
    }[role]
    if role in generated:
        base = base + [f"gen{b:04d}{generated[role]}" for b in range(blocks)]
    return base


def resolve_pages(pages=PAGES) -> tuple[list[dict], list[dict]]:
    """(available, unavailable): available pages get `template`, a path with {account_id}."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    available, unavailable = [], []
    for page in pages:
        args = [ACCOUNT_PLACEHOLDER] if page.account else []
        if page.url_name:
            try:
                url = reverse(page.url_name, args=args)
            except NoReverseMatch:
                unavailable.append(
                    {**asdict(page), "reason": f"URL name {page.url_name!r} does not resolve"}
                )
                continue
        else:
            url = page.path.format(account_id=ACCOUNT_PLACEHOLDER)
            try:
                resolve(url)
            except Resolver404:
                unavailable.append({**asdict(page), "reason": f"{page.path} does not resolve"})
                continue
        template = url.replace(str(ACCOUNT_PLACEHOLDER), "{account_id}") + page.query
        available.append({**asdict(page), "template": template})
    return available, unavailable


def main() -> None:
    import django

    django.setup()
    available, unavailable = resolve_pages()
    json.dump({"available": available, "unavailable": unavailable}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
