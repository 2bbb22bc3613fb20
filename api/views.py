"""The API tokens page (the person's own settings): make a token, see it once, revoke it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import ApiTokenForm
from .models import ApiToken

# The new token's secret waits in the session for the one page that shows it.
NEW_SECRET_SESSION_KEY = "api_new_token"  # noqa: S105 (a session key name)


def _render(request, form, *, status=200):
    new = request.session.pop(NEW_SECRET_SESSION_KEY, None)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": selectors.api_tokens_of(user=request.user),
            "new_token": new,
            "api_root": request.build_absolute_uri(reverse("api_v1:root")),
            "docs_url": reverse("api_v1:docs"),
            "rate_limit": settings.KAM_API_RATE_PER_MINUTE,
        },
        status=status,
    )


@login_required
@require_GET
def tokens(request):
    return _render(request, ApiTokenForm())


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.api_token_create(
                user=request.user,
                name=data["name"],
                scope=data["scope"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # field errors land at their field
        else:
            shown_once = {"name": made.token.name, "secret": made.secret}
            request.session[NEW_SECRET_SESSION_KEY] = shown_once
            return redirect("api:tokens")
    return _render(request, form, status=400)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    # Only one's own tokens: anyone else's id is a 404, as if it did not exist.
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token, acting_user=request.user)
    messages.success(
        request, gettext("The token “%(name)s” no longer works.") % {"name": token.name}
    )
    return redirect("api:tokens")
