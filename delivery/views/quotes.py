"""Quotes: list, form, approval, status and PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from accounts.permissions import APPROVE, SCHEDULE, VIEW
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
)
from common.pdf import render_pdf
from opportunities.selectors import list_prices_on

from .. import selectors
from ..forms import (
    QuoteForm,
    QuoteLineFormSet,
    QuoteRefusalForm,
    QuoteStatusForm,
    quote_line_initial,
)
from ..models import Quote
from ..services import expiry, quotes
from ..services.shared import DESELECTED
from .base import _account_context, _add_errors, _page


@login_required
@require_GET
def account_quotes(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    status = request.GET.get("status", "")
    page = _page(request, selectors.account_quotes(account=account, status=status))
    limit = quotes.quote_discount_limit()
    for quote in page:
        quote.computed = quote.totals(quote.lines.all())
        undecided = (
            quote.is_editable
            and quote.computed.needs_approval(limit)
            and not quote.is_discount_approved
        )
        # As the quote's page and the director's list say it: a refused discount waits for
        # new prices, not for a director.
        quote.discount_refused = undecided and quote.is_discount_refused
        quote.awaiting_approval = undecided and not quote.is_discount_refused
    return render(
        request,
        "delivery/quote_list.html",
        {
            **_account_context(request, account),
            "page": page,
            "status": status,
            "statuses": Quote.Status.choices,
            "limit": limit,
            "today": timezone.localdate(),
        },
    )


def _quote_for(account, quote_id) -> Quote:
    return get_object_or_404(
        Quote.objects.select_related(
            "opportunity",
            "prepared_by",
            "discount_approved_by",
            "key_account__customer",
            "renewed_from",
            "renewal",
        ).prefetch_related("lines__offering"),
        pk=quote_id,
        key_account=account,
    )


def _lines_text(lines) -> str:
    """Quote lines (saved or typed) as text, one a line, to compare the two versions."""

    def number(value) -> str:
        return format(value.normalize(), "f")

    return "\n".join(
        _("%(description)s: %(quantity)s × %(price)s less %(discount)s %%")
        % {
            "description": line.description,
            "quantity": number(line.quantity),
            "price": number(line.unit_price) if line.unit_price is not None else _("list price"),
            "discount": number(line.discount_percent),
        }
        for line in lines
    )


def _quote_form_page(request, account, form, formset, quote=None, conflict=None, status=200):
    currency = quote.currency if quote else Programme.current().currency
    prices = list_prices_on(currency=currency, on=timezone.localdate())
    for line_form in formset:
        line_form.show_list_prices(prices, currency)
    return render(
        request,
        "delivery/quote_form.html",
        {
            **_account_context(request, account),
            "form": form,
            "formset": formset,
            "quote": quote,
            "conflict": conflict,
            "limit": quotes.quote_discount_limit(),
            "currency": currency,
        },
        status=status,
    )


@login_required
def quote_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    if not account.is_active and request.method == "GET":
        # Refused before anything is typed. A form sent anyway (the page was open when the
        # account was de-selected) comes back with the service's refusal and what was typed.
        messages.error(request, DESELECTED)
        return redirect("delivery:account_quotes", account.pk)
    return _quote_form(request, account)


@login_required
def quote_edit(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    quote = _quote_for(account, quote_id)
    if not quote.is_editable:
        messages.error(request, _("Only draft quotes can be edited."))
        return redirect(quote.get_absolute_url())
    return _quote_form(request, account, quote)


def _quote_form(request, account, quote: Quote | None = None):
    """Draft a quote (`quote` None) or edit a draft: its fields and its lines, one form and one
    formset for both; only an edit can meet someone else's save (EditConflict)."""
    if request.method != "POST":
        form = QuoteForm(account=account, quote=quote)
        initial = quote_line_initial(quote) if quote is not None else None
        formset = QuoteLineFormSet(prefix="lines", initial=initial)
        return _quote_form_page(request, account, form, formset, quote)
    form = QuoteForm(request.POST, account=account, quote=quote)
    formset = QuoteLineFormSet(request.POST, prefix="lines")
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        values = {
            "title": data["title"],
            "valid_until": data["valid_until"],
            "overall_discount_percent": data["overall_discount_percent"],
            "opportunity": data["opportunity"],
            "notes": data["notes"],
            "lines": formset.lines(),
            "acting_user": request.user,
        }
        try:
            if quote is None:
                saved = quotes.quote_create(account=account, **values)
                done = _("Quote %(number)s drafted.")
            else:
                saved = quotes.quote_update(quote=quote, revision=data["revision"], **values)
                done = _("Quote %(number)s saved.")
        except EditConflict as conflict:
            current = _quote_for(account, quote.pk)
            details = describe_conflict(
                conflict,
                form=form,
                saved=QuoteForm(account=account, quote=current),
                extra_rows=[
                    (_("Lines"), _lines_text(current.lines.all()), _lines_text(formset.lines()))
                ],
            )
            return _quote_form_page(
                request, account, form, formset, current, conflict=details, status=details.status
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done % {"number": saved.number})
            return redirect(saved.get_absolute_url())
    return _quote_form_page(request, account, form, formset, quote, status=400)


def _quote_context(request, account, quote, refusal_form=None) -> dict:
    lines = list(quote.lines.all())
    totals = quote.totals(lines)
    limit = quotes.quote_discount_limit()
    above_limit = totals.needs_approval(limit)
    return {
        **_account_context(request, account),
        "quote": quote,
        "lines": lines,
        "totals": totals,
        "limit": limit,
        "above_limit": above_limit,
        "awaiting_approval": above_limit and not quote.is_discount_approved,
        "next_statuses": [Quote.Status(s) for s in quote.next_statuses()],
        "expired_validity": quote.valid_until < timezone.localdate(),
        "renewal": _renewal_of(quote),
        "renewal_valid_until": expiry.renewal_valid_until(quote),
        "refusal_form": refusal_form or QuoteRefusalForm(),
    }


def _renewal_of(quote: Quote) -> Quote | None:
    try:
        return quote.renewal
    except Quote.DoesNotExist:
        return None


@login_required
@require_GET
def quote_detail(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    quote = _quote_for(account, quote_id)
    return render(request, "delivery/quote_detail.html", _quote_context(request, account, quote))


# What a decision's page showed of a quote, compared when it changed meanwhile.
QUOTE_SHOWN = (
    (gettext_lazy("Status"), lambda quote: quote.get_status_display()),
    (gettext_lazy("Title"), lambda quote: quote.title),
    (gettext_lazy("Overall discount"), lambda quote: f"{quote.overall_discount_percent} %"),
    (gettext_lazy("Valid until"), lambda quote: quote.valid_until),
    (gettext_lazy("Discount approved"), lambda quote: quote.discount_approved_at),
    (gettext_lazy("Discount refused"), lambda quote: quote.discount_refused_at),
    (gettext_lazy("Last change"), lambda quote: quote.updated_at),
)


def _quote_decision_conflict(request, account, conflict: EditConflict, seen, typed=None):
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=QUOTE_SHOWN,
        what=_("quote %(number)s") % {"number": conflict.current.number},
        back_url=conflict.current.get_absolute_url(),
        context={"account": account},
        typed=typed,
    )


def _discount_decision(request, account_id: int, quote_id: int, decide, done: str):
    """Approve or refuse a quote's discount: `decide` is the service, `done` what a success
    says (of the quote's `number`); a decision from a stale page answers with what changed."""
    account = permissions.get_account_for_user(request.user, account_id, APPROVE)
    quote = _quote_for(account, quote_id)
    seen = decision_revision(request)
    try:
        decide(quote=quote, acting_user=request.user, revision=seen)
    except EditConflict as conflict:
        return _quote_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"number": quote.number})
    return redirect(quote.get_absolute_url())


@login_required
@require_POST
def quote_approve(request, account_id: int, quote_id: int):
    return _discount_decision(
        request,
        account_id,
        quote_id,
        quotes.quote_approve_discount,
        _("Discount on %(number)s approved; it can now be sent."),
    )


@login_required
@require_POST
def quote_refuse(request, account_id: int, quote_id: int):
    """A director refuses a quote's discount, saying why. A reason that is missing or too long,
    or a refusal the quote no longer allows, gives the quote's page back with the reason in its
    box and the message at it (400); a stale page gives the 409 page with the reason to copy."""
    account = permissions.get_account_for_user(request.user, account_id, APPROVE)
    quote = _quote_for(account, quote_id)
    form = QuoteRefusalForm(request.POST)
    seen = decision_revision(request)
    if form.is_valid():
        try:
            quotes.quote_refuse_discount(
                quote=quote,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                revision=seen,
            )
        except EditConflict as conflict:
            return _quote_decision_conflict(request, account, conflict, seen, typed=form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Discount on %(number)s refused; the author is told why.")
                % {"number": quote.number},
            )
            return redirect(quote.get_absolute_url())
    if not form.errors.get("reason"):
        # Nothing wrong with the reason: the quote no longer allows a refusal (say why).
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(quote.get_absolute_url())
    # The box gets focus (the page opens scrolled to it, where the director was typing).
    form.fields["reason"].widget.attrs.update(
        {"aria-invalid": "true", "aria-describedby": "refuse-reason-error", "autofocus": True}
    )
    quote.refresh_from_db()
    return render(
        request,
        "delivery/quote_detail.html",
        _quote_context(request, account, quote, refusal_form=form),
        status=400,
    )


@login_required
@require_POST
def quote_status(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    quote = _quote_for(account, quote_id)
    form = QuoteStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid next status for the quote."))
        return redirect(quote.get_absolute_url())
    seen = decision_revision(request)
    try:
        quote = quotes.quote_change_status(
            quote=quote,
            status=form.cleaned_data["status"],
            mark_opportunity_won=form.cleaned_data["mark_opportunity_won"],
            acting_user=request.user,
            revision=seen,
        )
    except EditConflict as conflict:
        return _quote_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Quote %(number)s is now %(status)s.")
            % {"number": quote.number, "status": quote.get_status_display()},
        )
    return redirect(quote.get_absolute_url())


@login_required
@require_POST
def quote_renew(request, account_id: int, quote_id: int):
    """ "Renew" an expired quote: a new draft with its lines, then that draft's page. A quote
    already renewed (a second click, or a colleague's) leads to its renewal instead."""
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    quote = _quote_for(account, quote_id)
    try:
        renewal = expiry.quote_renew(quote=quote, acting_user=request.user)
    except expiry.AlreadyRenewed as already:
        messages.info(
            request,
            _("Quote %(number)s was already renewed as %(renewal)s.")
            % {"number": quote.number, "renewal": already.renewal.number},
        )
        return redirect(already.renewal.get_absolute_url())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(quote.get_absolute_url())
    messages.success(
        request,
        _(
            "Quote %(renewal)s drafted from %(number)s, valid until %(date)s: check its prices "
            "and send it."
        )
        % {
            "renewal": renewal.number,
            "number": quote.number,
            "date": date_format(renewal.valid_until, "SHORT_DATE_FORMAT"),
        },
    )
    return redirect(renewal.get_absolute_url())


@login_required
@require_GET
def quote_pdf(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    quote = _quote_for(account, quote_id)
    context = _quote_context(request, account, quote)
    context["programme"] = Programme.current()
    pdf = render_pdf("delivery/quote_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
    return response
