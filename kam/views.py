"""Pages that gather several stages: each role's home, and the health check."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app
from .home import home_context

logger = logging.getLogger(__name__)

HOME_TEMPLATES = {
    "manager": "home/manager.html",
    "director": "home/director.html",
    "coordinator": "home/coordinator.html",
    "executive": "home/executive.html",
    "team_member": "home/team_member.html",
    "programme_admin": "home/programme_admin.html",
    "no_role": "home/no_role.html",
}


@login_required
@require_GET
def home(request):
    context = home_context(request.user, listed_all=request.GET.get("all", ""))
    return render(request, HOME_TEMPLATES[context["home_kind"]], context)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # any driver error means "not reachable"
        logger.exception("health check: database unreachable")
        return False


def _broker_status() -> str:
    if celery_app.conf.task_always_eager:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # kombu raises many kinds; all mean "not reachable"
        logger.exception("health check: broker unreachable")
        return "unreachable"


@require_GET
@never_cache
def healthz(request):
    database = "ok" if _database_ok() else "unreachable"
    broker = _broker_status()
    healthy = database == "ok" and broker in {"ok", "eager"}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
