"""The offering catalogue (programme level) and its price lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from common import formats
from common.form_pages import apply_errors, edit_page

from .. import selectors, services
from ..forms import ListPriceForm, OfferingForm
from ..models import Offering


def _require_offering_manager(user) -> None:
    if not permissions.can_manage_offerings(user):
        raise PermissionDenied(_("Only programme admins manage the offering catalogue."))


@login_required
@require_GET
def offering_list(request):
    can_manage = permissions.can_manage_offerings(request.user)
    currency = Programme.current().currency
    offerings = list(selectors.offerings(include_archived=can_manage))
    prices = selectors.list_prices_on(currency=currency, on=timezone.localdate())
    for offering in offerings:
        offering.current_price = prices.get(offering.pk)
    return render(
        request,
        "opportunities/offering_list.html",
        {"offerings": offerings, "can_manage": can_manage, "currency": currency},
    )


@login_required
def offering_prices(request, pk: int):
    """An offering's price list: everyone reads it (quotes use it); programme admins, who
    manage the catalogue, add prices."""
    offering = get_object_or_404(Offering, pk=pk, programme_id=Programme.current().pk)
    can_manage = permissions.can_manage_offerings(request.user)
    if request.method == "POST":
        _require_offering_manager(request.user)
    programme = Programme.current()
    form = None
    if can_manage:
        form = ListPriceForm(
            request.POST or None,
            initial={"currency": programme.currency, "valid_from": timezone.localdate()},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            price = services.list_price_add(
                offering=offering,
                currency=data["currency"],
                unit=data["unit"],
                unit_price=data["unit_price"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(offering)s: %(currency)s %(price)s per %(unit)s from %(date)s added to "
                    "the price list."
                )
                % {
                    "offering": offering.name,
                    "currency": price.currency,
                    "price": formats.unit_price(price.unit_price),
                    "unit": price.unit,
                    "date": date_format(price.valid_from, "PADDED_DATE_FORMAT"),
                },
            )
            return redirect("opportunities:offering_prices", offering.pk)
    today = timezone.localdate()
    prices = list(selectors.price_list(offering=offering))
    for price in prices:
        price.is_current = price.valid_from <= today and (
            price.valid_until is None or price.valid_until >= today
        )
        price.is_future = price.valid_from > today
    return render(
        request,
        "opportunities/offering_prices.html",
        {"offering": offering, "prices": prices, "form": form, "can_manage": can_manage},
    )


@login_required
def offering_create(request):
    _require_offering_manager(request.user)
    form = OfferingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Offering “%(name)s” added to the catalogue.") % {"name": offering.name},
            )
            return redirect("opportunities:offering_list")
    return render(request, "opportunities/offering_form.html", {"form": form})


@login_required
def offering_edit(request, pk: int):
    _require_offering_manager(request.user)
    offering = get_object_or_404(Offering, pk=pk, programme_id=Programme.current().pk)

    def save(form):
        return services.offering_update(
            offering=Offering.objects.get(pk=offering.pk),
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            acting_user=request.user,
            revision=form.opened_at,
        )

    return edit_page(
        request,
        OfferingForm(request.POST or None, instance=offering),
        save=save,
        saved_form=lambda current: OfferingForm(instance=current),
        done=lambda _saved: (_("Offering saved."), reverse("opportunities:offering_list")),
        template="opportunities/offering_form.html",
        context={"offering": offering},
    )


@login_required
@require_POST
def offering_archive(request, pk: int):
    _require_offering_manager(request.user)
    offering = get_object_or_404(Offering, pk=pk, programme_id=Programme.current().pk)
    archive = request.POST.get("archive") != "0"
    services.offering_set_archived(offering=offering, archived=archive, acting_user=request.user)
    if archive:
        text = _("“%(name)s” archived: it leaves the white-space grids.")
    else:
        text = _("“%(name)s” restored.")
    messages.success(request, text % {"name": offering.name})
    return redirect("opportunities:offering_list")
