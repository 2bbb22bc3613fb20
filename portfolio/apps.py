from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio dashboards")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .receivers import remember_portfolio_access

        user_logged_in.connect(
            remember_portfolio_access, dispatch_uid="portfolio.remember_portfolio_access"
        )
