"""Navigation shared by every page: the five stages plus the dashboard."""

from django.urls import NoReverseMatch, reverse

from accounts import permissions

# (label, url name, app names whose pages belong to this stage)
STAGES = [
    ("Dashboard", "home", {"kam", "portfolio"}),
    ("Strategy", "accounts:strategy", {"accounts"}),
    ("Discovery", "discovery:index", {"discovery"}),
    ("Opportunities", "opportunities:index", {"opportunities"}),
    ("Plans", "planning:index", {"planning"}),
    ("Delivery", "delivery:index", {"delivery"}),
]


def _reverse_or_none(name: str) -> str | None:
    # A stage whose landing page is not installed yet is simply not shown.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current_app = (match.app_name or "kam") if match else ""
    items = []
    for label, name, apps in STAGES:
        url = _reverse_or_none(name)
        if url is not None:
            items.append({"label": label, "url": url, "active": current_app in apps})
    return {
        "nav_items": items,
        "nav_is_programme_admin": permissions.is_programme_admin(user),
    }
