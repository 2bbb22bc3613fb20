from accounts import permissions

# Set at login so that drawing the menu (kam.context_processors) costs no query on any page.
PORTFOLIO_SESSION_KEY = "kam_can_view_portfolio"


def remember_portfolio_access(sender, request, user, **kwargs) -> None:
    """Whether the menu's "Dashboard" leads to the portfolio, decided once per login. The
    dashboard views check the permission on every request regardless."""
    session = getattr(request, "session", None)
    if session is not None:
        session[PORTFOLIO_SESSION_KEY] = permissions.can_view_portfolio(user)
