"""Navigation shared by every page: the five stages plus the dashboard."""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

from accounts import permissions
from portfolio.receivers import PORTFOLIO_SESSION_KEY

# (label, url name, app names whose pages belong to this stage)
# "Dashboard" is each role's home, except for those who may see the portfolio dashboard
# (directors and executives): see _dashboard_url_name.
STAGES = [
    (gettext_noop("Dashboard"), "home", {"kam", "portfolio"}),
    (gettext_noop("Strategy"), "strategy:strategy", {"strategy"}),
    (gettext_noop("Discovery"), "discovery:index", {"discovery"}),
    (gettext_noop("Opportunities"), "opportunities:index", {"opportunities"}),
    (gettext_noop("Plans"), "planning:index", {"planning"}),
    (gettext_noop("Delivery"), "delivery:index", {"delivery"}),
]


# Pages marked by a right-hand menu item rather than by their app's stage.
KEY_ACCOUNT_PAGES = {"accounts:account_list", "accounts:account_detail"}
NOTIFICATION_PAGES = {"notifications:index"}
# The programme team's own pages; an account's team page stays with the account.
PROGRAMME_TEAM_PAGES = {
    "organisation:index",
    "organisation:manager_profile",
    "organisation:manager_assess",
    "organisation:allocation",
    "organisation:job_specs",
    "organisation:job_spec_edit",
    "organisation:mentoring_list",
    "organisation:mentoring_new",
    "organisation:mentoring_detail",
    "organisation:handbook",
}

PORTFOLIO_DASHBOARD = "portfolio:dashboard"

# The menu's fixed links (template key -> URL name), read in base.html as nav_urls.<key>.
MENU_LINKS = {
    "notifications": "notifications:index",
    "programme_team": "organisation:index",
    "key_accounts": "accounts:account_list",
    "my_work": "delivery:index",
    "reminders": "rhythm:digest",
    "reminder_settings": "rhythm:digest_settings",
    "settings": "accounts:user_settings",
    "annual_review": "rhythm:annual_review",
    "job_runs": "rhythm:job_runs",
    "integrations": "integrations:index",
    "api_tokens": "api:tokens",
    "password_change": "password_change",
    "admin": "admin:index",
    "logout": "logout",
    "home": "home",
}
# Set at login (kam.apps), like the portfolio flag: whether the user menu shows the programme
# admin's entries. Drawing the menu then costs no query (it was the groups query on every page;
# bench/README.md, Findings). The admin pages check the permission on every request regardless.
PROGRAMME_ADMIN_SESSION_KEY = "kam_is_programme_admin"


def _menu_labels() -> dict[str, str]:
    """base.html's own texts (template key -> translation), read as nav_labels.<key>. Unlike
    `{% translate %}` they are escaped when printed; none of them holds a character that
    escaping changes, in English or French, so the page is the same as before."""
    return {
        "skip_to_content": gettext("Skip to content"),
        "main": pgettext("navigation", "Main"),
        "show_navigation": gettext("Show navigation"),
        "notifications": gettext("Notifications"),
        "unread": gettext("unread"),
        "programme_team": gettext("Programme team"),
        "key_accounts": gettext("Key accounts"),
        "my_work": gettext("My work"),
        "reminders": gettext("My reminders"),
        "reminder_settings": gettext("Reminder settings"),
        "settings": gettext("Settings"),
        "annual_review": gettext("Annual programme review"),
        "job_runs": gettext("Job runs"),
        "integrations": gettext("Webhooks and CRM exchange"),
        "api_tokens": gettext("API tokens"),
        "password_change": gettext("Change password"),
        "admin": gettext("Admin"),
        "logout": gettext("Log out"),
        "footer": gettext("KAM Programme — select, discover, find joint value, plan, deliver."),
        # Shown in a form saved in place whose answer could not be shown (static/js/inplace.js).
        "request_failed": gettext(
            "Not saved: the server could not take this change. What you typed is still here: "
            "try again, or copy it and reload the page."
        ),
    }


class _Menu:
    """What the menu shows the same way to everyone in one language: the stages' labels and
    addresses, the fixed links and the layout's texts. Reversing the addresses (17 `reverse()`
    a page) and translating the texts (19 `{% translate %}`; an English lookup walks several
    near-empty fallback catalogues) were most of drawing an empty page (bench/README.md,
    Findings 25), so each process builds them once per URL configuration, script prefix and
    language and keeps them."""

    __slots__ = ("labels", "stages", "stages_url", "urls")

    def __init__(self):
        # (label, url name, url or None, app names); a stage whose landing page is not
        # installed yet (NoReverseMatch) is simply not shown.
        self.stages = [
            (gettext(label), name, _reverse_or_none(name), apps) for label, name, apps in STAGES
        ]
        self.stages_url = {name: url for _, name, url, _ in self.stages}
        self.stages_url[PORTFOLIO_DASHBOARD] = _reverse_or_none(PORTFOLIO_DASHBOARD)
        self.urls = {key: reverse(name) for key, name in MENU_LINKS.items()}
        self.labels = _menu_labels()


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


_MENUS: dict[tuple, _Menu] = {}
# A script prefix comes from the server's SCRIPT_NAME; a handful of keys at most in practice,
# bounded anyway so that nothing a request sends can grow the dict.
_MENUS_MAX = 32


@receiver(setting_changed)
def _forget_menus(**kwargs) -> None:
    # Tests that override the URLconf, languages or apps get menus built for the new settings.
    _MENUS.clear()


def _menu() -> _Menu:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())
    menu = _MENUS.get(key)
    if menu is None:
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        menu = _MENUS[key] = _Menu()
    return menu


def remember_programme_admin(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[PROGRAMME_ADMIN_SESSION_KEY] = permissions.is_programme_admin(user)


def _is_programme_admin(request, user) -> bool:
    session = getattr(request, "session", None)
    known = session.get(PROGRAMME_ADMIN_SESSION_KEY) if session is not None else None
    if known is None:  # a session older than the flag: ask (cached per request)
        known = permissions.is_programme_admin(user)
    return known


def _dashboard_url_name(request, user) -> str:
    session = getattr(request, "session", None)
    allowed = session.get(PORTFOLIO_SESSION_KEY) if session is not None else None
    if allowed is None:  # a session older than the flag: ask (cached per request)
        allowed = permissions.can_view_portfolio(user)
    return PORTFOLIO_DASHBOARD if allowed else "home"


def navigation(request):
    menu = _menu()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # The layout's skip link, brand link and footer are drawn for visitors too.
        return {"nav_items": [], "nav_urls": menu.urls, "nav_labels": menu.labels}
    match = getattr(request, "resolver_match", None)
    current_app = (match.app_name or "kam") if match else ""
    view_name = match.view_name if match else ""
    on_key_accounts = view_name in KEY_ACCOUNT_PAGES
    on_notifications = view_name in NOTIFICATION_PAGES
    on_programme_team = view_name in PROGRAMME_TEAM_PAGES
    if on_key_accounts or on_notifications or on_programme_team:
        current_app = ""
    items = []
    for label, name, url, apps in menu.stages:
        if name == "home":  # "Dashboard": each role's home, or the portfolio dashboard
            url = menu.stages_url[_dashboard_url_name(request, user)]
        if url is not None:
            items.append({"label": label, "url": url, "active": current_app in apps})
    return {
        "nav_items": items,
        "nav_urls": menu.urls,
        "nav_labels": menu.labels,
        "nav_key_accounts_active": on_key_accounts,
        "nav_notifications_active": on_notifications,
        "nav_programme_team_active": on_programme_team,
        "nav_is_programme_admin": _is_programme_admin(request, user),
    }
