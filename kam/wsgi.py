"""The WSGI entry point gunicorn loads (`kam.wsgi:application`).

After building the application, each worker loads the URLconf (and with it every app's views,
forms and templatetags) and moves every object start-up made into the garbage collector's
permanent generation (`gc.freeze`). Those ~240,000 long-lived objects (Django, the apps,
WeasyPrint's modules) never become garbage, yet every full collection walked them all: a few
times per dozen plan PDFs, ~14 % of a warm render (bench/README.md, Findings). Objects made
later are collected as before.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
application = get_wsgi_application()


def settle_start_up() -> None:
    """Import what the first request would (the URLconf, hence every view module), then leave
    everything made so far out of the garbage collector's walks. The benches that measure the
    server's own time in one process call it too, so they start as a worker does."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's URLconf and views
    gc.collect()
    gc.freeze()


settle_start_up()
