"""The offering catalogue and its price list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Programme
from common import formats
from common.conflicts import DEFAULT_MESSAGE, bump_revision, lock_for_edit
from common.constraints import refused_as
from common.locks import lock_rows

from ..models import ListPrice, Offering


def _name_taken() -> dict:
    return {"name": [_("An offering with this name is already in the catalogue.")]}


def _check_offering_name(offering: Offering) -> None:
    """The name in any case. The database holds the same rule (offering_name_unique): a save
    racing past this check is refused there, with this sentence (`refused_as`)."""
    clash = Offering.objects.filter(programme=offering.programme, name__iexact=offering.name)
    if offering.pk:
        clash = clash.exclude(pk=offering.pk)
    if clash.exists():
        raise ValidationError(_name_taken())


def _offering_moved(current: Offering) -> str:
    """Why an edit of an offering is refused as stale: archived meanwhile, or saved."""
    if current.archived_at is not None:
        return _(
            "Someone archived this offering while you were editing: it has left the white-space "
            "grids. Saving again changes the archived offering, which stays archived until it "
            "is restored."
        )
    return str(DEFAULT_MESSAGE)


@transaction.atomic
def offering_create(*, name: str, description: str, acting_user) -> Offering:
    offering = Offering(programme=Programme.ensure(), name=name.strip(), description=description)
    lock_rows(offering.programme)  # the catalogue: two offerings of one name at once, one wins
    _check_offering_name(offering)
    offering.full_clean()
    with refused_as(_name_taken()):
        offering.save()
    return offering


@transaction.atomic
def offering_update(
    *, offering: Offering, name: str, description: str, acting_user, revision: int | None = None
) -> Offering:
    lock_rows(offering.programme)
    offering = lock_for_edit(offering, revision, message=_offering_moved)
    offering.name = name.strip()
    offering.description = description
    _check_offering_name(offering)
    offering.full_clean()
    with refused_as(_name_taken()):
        offering.save(update_fields=["name", "description", bump_revision(offering)])
    return offering


@transaction.atomic
def offering_set_archived(*, offering: Offering, archived: bool, acting_user) -> Offering:
    """Archived offerings leave the white-space grid; their cells are kept for history.

    The row is locked and its revision moves, so an edit form opened before is refused as stale
    (the archive named, what was typed kept) instead of saving onto an archived offering
    unaware. A second click (already in that state) changes nothing."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if (offering.archived_at is not None) != archived:
        offering.archived_at = timezone.now() if archived else None
        offering.save(update_fields=["archived_at", bump_revision(offering)])
    return offering


# ---- price list ---------------------------------------------------------------------------


@transaction.atomic
def list_price_add(
    *,
    offering: Offering,
    currency: str,
    unit: str,
    unit_price: Decimal,
    valid_from,
    valid_until=None,
    acting_user,
) -> ListPrice:
    """Add a price to the offering's price list. Periods of one currency never overlap: a
    price still open-ended when the new one starts ends the day before; any other overlap is
    refused, naming the price it clashes with."""
    currency = currency.strip().upper()
    price = ListPrice(
        offering=offering,
        currency=currency,
        unit=unit.strip(),
        unit_price=unit_price,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=acting_user,
    )
    price.full_clean()
    same = ListPrice.objects.select_for_update().filter(offering=offering, currency=currency)
    running = same.filter(valid_from__lt=valid_from, valid_until__isnull=True).first()
    if running is not None:
        running.valid_until = valid_from - timedelta(days=1)
        running.save(update_fields=["valid_until"])
    clash = same.filter(valid_from__lte=valid_until or date.max).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    clash = clash.exclude(pk=running.pk) if running is not None else clash
    if clash.exists():
        other = clash.first()
        ends = (
            date_format(other.valid_until, "PADDED_DATE_FORMAT")
            if other.valid_until
            else _("open-ended")
        )
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "It overlaps the %(currency)s %(price)s price valid from %(start)s "
                        "(%(end)s). Start after it or end this one before."
                    )
                    % {
                        "currency": currency,
                        "price": formats.unit_price(other.unit_price),
                        "start": date_format(other.valid_from, "PADDED_DATE_FORMAT"),
                        "end": ends,
                    }
                ]
            }
        )
    price.save()
    return price
