from django.apps import AppConfig


class KamConfig(AppConfig):
    name = "kam"
    verbose_name = "KAM Programme"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .context_processors import remember_programme_admin
        from .i18n import settle_catalogues
        from .translate_tags import memoise_constant_translations

        user_logged_in.connect(
            remember_programme_admin, dispatch_uid="kam.remember_programme_admin"
        )
        # English look-ups (nearly all misses) walk one dictionary instead of seven and no
        # empty fallbacks (kam/i18n.py).
        settle_catalogues()
        # `{% translate "…" %}` of a constant looked up once per language (kam/translate_tags.py).
        memoise_constant_translations()
