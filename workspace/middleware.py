"""The boundary of a customer link: a browser whose session holds a workspace link and no login
reaches the workspace pages (and the login, logout, password-reset and health pages, so that a
person can still sign in from it) and answers 404 everywhere else."""

from __future__ import annotations

from django.http import Http404

from .access import holds_link

WORKSPACE_NAMESPACE = "workspace"
OPEN_TO_ANYONE = {
    "login",
    "logout",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


class CustomerLinkBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or not holds_link(request):
            return None
        match = request.resolver_match
        if match is not None and (
            match.namespace == WORKSPACE_NAMESPACE or match.view_name in OPEN_TO_ANYONE
        ):
            return None
        raise Http404("Not part of the customer workspace.")
