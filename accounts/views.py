from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .forms import UserSettingsForm
from .models import Classification
from .selectors import key_accounts_visible_to, language_name, reader_language

PAGE_SIZE = 25


@login_required
@require_GET
def account_list(request):
    show_deselected = request.GET.get("status") == "all"
    accounts = key_accounts_visible_to(user=request.user, include_deselected=show_deselected)
    classification = request.GET.get("class", "")
    if classification in Classification.values:
        accounts = accounts.filter(classification=classification)
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(customer__name__icontains=query)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {
            "page": page,
            "classification": classification,
            "query": query,
            "show_deselected": show_deselected,
            "classes": Classification.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request):
    """The signed-in user's own settings: the language of their pages and e-mails."""
    user = request.user
    status = 200
    # With no choice, e-mails and background PDFs are written in this language: the browser's
    # last (just remembered by kam.middleware.UserLanguageMiddleware), else the site's.
    unchosen = language_name(reader_language(chosen="", browser=user.browser_language))
    if request.method == "POST":
        form = UserSettingsForm(request.POST, browser_language=unchosen)
        status = 400
        if form.is_valid():
            try:
                services.user_language_set(
                    user=user, language=form.cleaned_data["language"], acting_user=user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # The confirmation is in the language just chosen (else the browser's).
                if user.language:
                    translation.activate(user.language)
                else:
                    translation.activate(translation.get_language_from_request(request))
                messages.success(request, _("Your settings are saved."))
                return redirect("accounts:user_settings")
    else:
        form = UserSettingsForm(initial={"language": user.language}, browser_language=unchosen)
    context = {"form": form, "unchosen_language": unchosen}
    return render(request, "accounts/user_settings.html", context, status=status)
