"""The white-space grid: the customer's business units against our offerings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import KeyAccount, Membership
from common.conflicts import bump_revision, check_revision, lock_for_edit
from common.constraints import refused_as
from common.locks import lock_rows

from ..models import BusinessUnit, Offering, Opportunity, WhiteSpaceCell
from .opportunities import ConversionResult, opportunity_create


def _unit_name_taken() -> dict:
    return {"name": [_("This account already has a unit with this name.")]}


def _check_unit_name(unit: BusinessUnit) -> None:
    """The name in any case. The database holds the same rule (business_unit_name_unique): a
    save racing past this check is refused there, with this sentence (`refused_as`)."""
    clash = BusinessUnit.objects.filter(key_account=unit.key_account, name__iexact=unit.name)
    if unit.pk:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ValidationError(_unit_name_taken())


@transaction.atomic
def business_unit_create(*, account: KeyAccount, name: str, acting_user) -> BusinessUnit:
    unit = BusinessUnit(key_account=account, name=name.strip())
    lock_rows(account)  # the account's units: two units of one name at once, one wins
    _check_unit_name(unit)
    unit.full_clean()
    with refused_as(_unit_name_taken()):
        unit.save()
    return unit


@transaction.atomic
def business_unit_rename(
    *, unit: BusinessUnit, name: str, acting_user, revision: int | None = None
) -> BusinessUnit:
    lock_rows(unit.key_account)
    unit = lock_for_edit(unit, revision)
    unit.name = name.strip()
    _check_unit_name(unit)
    unit.full_clean()
    with refused_as(_unit_name_taken()):
        unit.save(update_fields=["name", bump_revision(unit)])
    return unit


@transaction.atomic
def business_unit_delete(*, unit: BusinessUnit, acting_user) -> None:
    """Removes the unit's cells too; opportunities made from them stay."""
    unit.delete()


OPEN = ""  # a cell without a row: white space


@transaction.atomic
def white_space_cell_set(
    *,
    unit: BusinessUnit,
    offering: Offering,
    state: str,
    note: str = "",
    acting_user,
    revision: int | None = None,
) -> WhiteSpaceCell | None:
    """Set a cell's state. OPEN ("") clears it back to white space.

    A cell that is linked to an opportunity keeps the link only while its state is
    "opportunity"; setting another state unlinks it (the opportunity itself stays).
    `revision` is the cell's revision the form showed (0 for an open cell, which has no row);
    EditConflict if the cell moved on since.
    """
    if state != OPEN and state not in WhiteSpaceCell.State.values:
        raise ValidationError({"state": [_("Choose one of the listed cell states.")]})
    # An open cell has no row to lock: its unit is the mutex, so that two people setting it at
    # once take turns (the second gets the conflict) instead of both inserting it.
    lock_rows(unit)
    cell = (
        WhiteSpaceCell.objects.select_for_update(of=("self",))
        .filter(business_unit=unit, offering=offering)
        .first()
    )
    check_revision(
        cell or WhiteSpaceCell(business_unit=unit, offering=offering, revision=0),
        revision,
        message=_("Someone else set this cell while you were looking at the grid."),
    )
    if state == OPEN:
        if cell is not None:
            cell.delete()
        return None
    if cell is None:
        cell = WhiteSpaceCell(business_unit=unit, offering=offering)
    cell.state = state
    cell.note = note[:200]
    if state != WhiteSpaceCell.State.OPPORTUNITY:
        cell.opportunity = None
    # A new row starts at 1: 0 is the open cell that has none.
    bump_revision(cell)
    cell.full_clean()
    cell.save()
    return cell


@transaction.atomic
def white_space_cell_to_opportunity(
    *, unit: BusinessUnit, offering: Offering, acting_user
) -> ConversionResult:
    """One click on a grid cell: a cross-sell opportunity (source white space), cell linked.
    A second click meanwhile waits (the unit is the mutex) and finds the opportunity made."""
    lock_rows(unit)
    cell = (
        WhiteSpaceCell.objects.select_for_update(of=("self",))
        .filter(business_unit=unit, offering=offering)
        .select_related("opportunity")
        .first()
    )
    if cell is not None and cell.opportunity is not None:
        return ConversionResult(cell.opportunity, False)
    if cell is not None and cell.state == WhiteSpaceCell.State.WE_SELL:
        # Not white space: the opportunity would say the unit does not buy it from us yet, and
        # the cell would forget that it does.
        raise ValidationError(
            _(
                "%(unit)s already buys %(offering)s from us: that cell is not white space. "
                "Add an opportunity for more volume from the opportunities page instead."
            )
            % {"unit": unit.name, "offering": offering.name}
        )
    account = unit.key_account
    owner = acting_user
    if not Membership.objects.filter(key_account=account, user=acting_user).exists():
        owner = None
    opportunity = opportunity_create(
        account=account,
        values={
            # Words the team edits: in the language of whoever turned the cell into it.
            "title": (
                _("%(offering)s for %(unit)s") % {"offering": offering.name, "unit": unit.name}
            )[:200],
            "description": (
                _("White space: %(unit)s does not buy %(offering)s from us yet.")
                % {"unit": unit.name, "offering": offering.name}
                + (f" {cell.note}" if cell is not None and cell.note else "")
            ),
            "lever": Opportunity.Lever.CROSS_SELL,
            "source": Opportunity.Source.WHITE_SPACE,
            "owner": owner,
        },
        acting_user=acting_user,
    )
    if cell is None:
        cell = WhiteSpaceCell(business_unit=unit, offering=offering)
    cell.state = WhiteSpaceCell.State.OPPORTUNITY
    cell.opportunity = opportunity
    bump_revision(cell)  # a cell form open meanwhile must not overwrite the link
    cell.full_clean()
    cell.save()
    return ConversionResult(opportunity, True)
