"""Value delivered and customer issues on a key account. Each view: access → form → service →
redirect (POST/redirect/GET)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import permissions
from accounts.models import Programme
from accounts.permissions import EDIT, VIEW, get_account_for_user
from accounts.selectors import user_today
from common.form_pages import edit_page, posted, save_fields

from . import selectors, services
from .forms import CustomerIssueForm, ValueConfirmForm, ValueDeliveredForm
from .models import CustomerIssue, ValueDelivered

PAGE_SIZE = 25
FORM_PAGE = "outcomes/form_page.html"
form_page = require_http_methods(["GET", "POST"])


def _context(request, account, **extra) -> dict:
    return {"account": account, **permissions.account_flags(request.user, account), **extra}


# ---- value delivered --------------------------------------------------------------------------


@login_required
@require_GET
def value_list(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    today = user_today(request.user)
    page = Paginator(selectors.value_list(account=account), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    this_year = selectors.value_by_account(account_ids=[account.pk], year=today.year).get(
        account.pk, selectors.ValueYear(today.year)
    )
    return render(
        request,
        "outcomes/value_list.html",
        _context(request, account, page=page, this_year=this_year, rule=selectors.VALUE_RULE),
    )


def _value_form(request, account, entry, *, title):
    currency = Programme.current().currency
    list_url = reverse("outcomes:value_list", args=[account.pk])
    return edit_page(
        request,
        ValueDeliveredForm(posted(request), instance=entry, account=account, currency=currency),
        template=FORM_PAGE,
        context=_context(request, account, tab="Value", title=title, cancel_url=list_url),
        save=save_fields(
            services.value_delivered_save, account=account, entry=entry, acting_user=request.user
        ),
        saved_form=lambda current: ValueDeliveredForm(
            instance=current, account=account, currency=currency
        ),
        done=lambda saved: (
            _("Value delivered saved: %(title)s.") % {"title": saved.title},
            list_url,
        ),
    )


@login_required
@form_page
def value_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _value_form(request, account, None, title=_("Record value delivered"))


@login_required
@form_page
def value_edit(request, account_id: int, value_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    entry = get_object_or_404(ValueDelivered, pk=value_id, key_account=account)
    return _value_form(
        request,
        account,
        entry,
        title=_("Edit value delivered: %(title)s") % {"title": entry.title},
    )


@login_required
@form_page
def value_confirm(request, account_id: int, value_id: int):
    """The team records the customer's confirmation (e.g. received by e-mail)."""
    account = get_account_for_user(request.user, account_id, EDIT)
    entry = get_object_or_404(ValueDelivered, pk=value_id, key_account=account)
    list_url = reverse("outcomes:value_list", args=[account.pk])

    def save(form):
        return services.confirm_value_delivered(
            entry,
            stakeholder=form.cleaned_data["confirmed_by"],
            confirmed_on=form.cleaned_data["confirmed_on"],
            via=ValueDelivered.ConfirmedVia.EMAIL,
            note=form.cleaned_data["confirmation_note"],
            acting_user=request.user,
            revision=form.opened_at,
        )

    def saved_form(current):
        initial = {
            "confirmed_by": current.confirmed_by_id,
            "confirmed_on": current.confirmed_on,
            "confirmation_note": current.confirmation_note,
            "revision": current.revision,
        }
        return ValueConfirmForm(initial=initial, account=account)

    opened = {
        "revision": entry.revision,
        "confirmed_by": entry.confirmed_by_id,
        "confirmation_note": entry.confirmation_note,
        **({"confirmed_on": entry.confirmed_on} if entry.confirmed_on else {}),
    }
    return edit_page(
        request,
        ValueConfirmForm(posted(request), initial=opened, account=account),
        template=FORM_PAGE,
        context=_context(
            request,
            account,
            tab="Value",
            title=_("Confirmed by the customer: %(title)s") % {"title": entry.title},
            intro=_(
                "%(quantity)s delivered on %(day)s. Record who at the customer confirmed it and "
                "when (for example in an e-mail to you)."
            )
            % {
                "quantity": selectors.shown_quantity(entry),
                "day": date_format(entry.delivered_on, "SHORT_DATE_FORMAT"),
            },
            cancel_url=list_url,
            submit=_("Record the confirmation"),
        ),
        save=save,
        saved_form=saved_form,
        done=lambda _saved: (
            _("Confirmation recorded: %(title)s.") % {"title": entry.title},
            list_url,
        ),
    )


@login_required
@form_page
def value_delete(request, account_id: int, value_id: int):
    """Asks first (GET), removes on POST; the history keeps the entry."""
    account = get_account_for_user(request.user, account_id, EDIT)
    entry = get_object_or_404(ValueDelivered, pk=value_id, key_account=account)
    if request.method == "POST":
        services.value_delivered_delete(entry=entry, acting_user=request.user)
        messages.success(request, _("Value delivered removed: %(title)s.") % {"title": entry.title})
        return redirect("outcomes:value_list", account.pk)
    return render(
        request,
        "outcomes/value_delete.html",
        _context(request, account, entry=entry, quantity=selectors.shown_quantity(entry)),
    )


# ---- customer issues --------------------------------------------------------------------------


@login_required
@require_GET
def issue_list(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    show = "all" if request.GET.get("show") == "all" else "open"
    page = Paginator(selectors.issue_list(account=account, show=show), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for issue in page:
        issue.may_update = permissions.can_update_customer_issue(
            request.user, account, issue.owner_id
        )
    return render(
        request,
        "outcomes/issue_list.html",
        _context(request, account, page=page, show=show, today=user_today(request.user)),
    )


def _issue_form(request, account, issue, *, title):
    list_url = reverse("outcomes:issue_list", args=[account.pk])
    return edit_page(
        request,
        CustomerIssueForm(posted(request), instance=issue, account=account),
        template=FORM_PAGE,
        context=_context(request, account, tab="Issues", title=title, cancel_url=list_url),
        save=save_fields(
            services.customer_issue_save, account=account, issue=issue, acting_user=request.user
        ),
        saved_form=lambda current: CustomerIssueForm(instance=current, account=account),
        done=lambda saved: (
            _("Customer issue saved: %(title)s.") % {"title": saved.title},
            list_url,
        ),
    )


@login_required
@form_page
def issue_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _issue_form(request, account, None, title=_("Log a customer issue"))


@login_required
@form_page
def issue_edit(request, account_id: int, issue_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    issue = get_object_or_404(CustomerIssue, pk=issue_id, key_account=account)
    permissions.check_customer_issue(request.user, account, issue.owner_id)
    return _issue_form(
        request, account, issue, title=_("Customer issue: %(title)s") % {"title": issue.title}
    )
