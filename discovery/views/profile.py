"""The discovery list and the account profile, edited in place (common/inplace.py): each
section's card, the key ratios and the competitors are blocks."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Programme
from accounts.permissions import EDIT, VIEW, get_account_for_user
from common import inplace

from .. import selectors, services
from ..forms import (
    CompetitorForm,
    FinancialRatioForm,
    ProfileSectionForm,
)
from ..models import (
    Competitor,
    FinancialRatio,
    ProfileSection,
)
from .common import PAGE_SIZE, _context, form_page


@login_required
@require_GET
def index(request):
    today = timezone.localdate()
    page = Paginator(selectors.discovery_accounts(user=request.user, today=today), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    for account in page:
        account.latest_margin = selectors.margin_percent(
            account.latest_net_profit, account.latest_gross_sales
        )
        account.empty_sections = len(ProfileSection.Key.values) - account.written_sections
        account.service_too_high = services.service_exceeds_stage(account)
    return render(
        request,
        "discovery/index.html",
        {
            "page": page,
            "currency": Programme.current().currency,
            "section_total": len(ProfileSection.Key.values),
            "stale_days": services.STALE_AFTER_DAYS,
            "contact_days": services.CONTACT_GAP_DAYS,
        },
    )


# ---- profile ------------------------------------------------------------------------------------


# The profile page is edited in place: each section's card, the ratios and the competitors are
# blocks (common/inplace.py) drawn by their partials, which profile.html includes.
RATIOS, COMPETITORS = "ratios", "competitors"  # as their parts in selectors.PROFILE_PARTS


def _profile_page(request, account, *, block="", editing=None, status=200, announce="",
                  fragment=False):  # fmt: skip
    parts = selectors.PROFILE_PARTS
    if fragment:  # a block alone reads only its own part
        parts = ["sections"] if block in ProfileSection.Key.values else [block]
    profile = selectors.profile_page(account, parts=parts)
    context = _context(
        request,
        account,
        profile=profile,
        stale_days=services.STALE_AFTER_DAYS,
        editing=editing,
        editing_block=block,
        editing_anchor=block,
    )
    partials = [f"discovery/_{block}.html"]
    if fragment and block in ProfileSection.Key.values:
        partials = ["discovery/_profile_section.html"]
        context["section"] = next(s for s in profile.sections if s.key == block)
    if fragment and announce:
        # A save or a removal may change the page's "N sections not updated" above the
        # blocks: it comes along, swapped out of band, counted over the whole profile.
        partials.append("discovery/_profile_stale.html")
        context["stale_count"] = selectors.profile_stale_count(account)
    return inplace.page_or_fragment(
        request, "discovery/profile.html", partials, context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def profile(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    # An editor's "Cancel" asks htmx for its block alone.
    block = inplace.fragment_target(request, [*ProfileSection.Key.values, RATIOS, COMPETITORS])
    return _profile_page(request, account, block=block or "", fragment=bool(block))


def _profile_url(account, anchor: str = "") -> str:
    url = reverse("discovery:profile", args=[account.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@form_page
def profile_section_edit(request, account_id: int, key: str):
    account = get_account_for_user(request.user, account_id, EDIT)
    if key not in ProfileSection.Key.values:
        raise Http404(_("No such profile section."))
    section = selectors.profile_section(account, key)

    def form(data=None):
        initial = {"content": section.content, "revision": section.revision}
        return ProfileSectionForm(data, initial=initial, label=section.label)

    def save(bound):
        return services.profile_section_save(
            account=account,
            key=key,
            content=bound.cleaned_data["content"],
            expected_revision=bound.cleaned_data["revision"],
            acting_user=request.user,
        )

    def saved_form(current):
        return ProfileSectionForm(
            initial={"content": current.content, "revision": current.revision},
            label=section.label,
        )

    return inplace.edit_in_place(
        request,
        block=key,
        render=partial(_profile_page, request, account, block=key),
        form=form,
        save=save,
        saved_form=saved_form,
        done=lambda saved: _("%(section)s saved.") % {"section": section.label},
        redirect_to=lambda saved: _profile_url(account, key),
        cancel_url=_profile_url(account),
        mode="edit",
    )


@dataclass(frozen=True)
class ProfileRows:
    """A list of rows on the profile page, edited in place as one block (the key financial
    ratios, the competitors): all that its add, edit and remove views differ by."""

    block: str
    name: str  # the row's keyword in its services: `ratio=`, `competitor=`
    model: type
    form_class: type
    save: Callable
    delete: Callable
    label: str  # lazy: "%(label)s saved."
    removed: Callable  # row -> what its removal says


RATIO_ROWS = ProfileRows(
    block=RATIOS,
    name="ratio",
    model=FinancialRatio,
    form_class=FinancialRatioForm,
    save=services.financial_ratio_save,
    delete=services.financial_ratio_delete,
    label=gettext_lazy("Financial ratio"),
    removed=lambda ratio: (
        _("Ratio %(name)s (%(year)s) removed.") % {"name": ratio.name, "year": ratio.year}
    ),
)
COMPETITOR_ROWS = ProfileRows(
    block=COMPETITORS,
    name="competitor",
    model=Competitor,
    form_class=CompetitorForm,
    save=services.competitor_save,
    delete=services.competitor_delete,
    label=gettext_lazy("Competitor"),
    removed=lambda competitor: _("Competitor %(name)s removed.") % {"name": competitor.name},
)


def _edit_row(request, account_id: int, rows: ProfileRows, row_id: int | None = None):
    """Add (`row_id` None) or edit a key financial ratio or a competitor in place on the
    profile page."""
    account = get_account_for_user(request.user, account_id, EDIT)
    obj = None
    if row_id is not None:
        obj = get_object_or_404(rows.model, pk=row_id, key_account=account)
    form_class, block = rows.form_class, rows.block

    def write(bound):
        return rows.save(
            account=account,
            fields=bound.cleaned_data,
            acting_user=request.user,
            revision=bound.opened_at,
            **{rows.name: obj},
        )

    return inplace.edit_in_place(
        request,
        block=block,
        render=partial(_profile_page, request, account, block=block),
        form=lambda data=None: form_class(data, instance=obj),
        save=write,
        saved_form=lambda current: form_class(instance=current),
        done=lambda saved: _("%(label)s saved.") % {"label": rows.label},
        redirect_to=lambda saved: _profile_url(account, block),
        cancel_url=_profile_url(account),
        mode="edit" if obj else "add",
        pk=obj.pk if obj else None,
        add_another=True,
    )


def _remove_row(request, account_id: int, rows: ProfileRows, row_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    obj = get_object_or_404(rows.model, pk=row_id, key_account=account)
    rows.delete(**{rows.name: obj}, acting_user=request.user)
    done = rows.removed(obj)
    if inplace.fragment_target(request, [rows.block]):
        return _profile_page(request, account, block=rows.block, announce=done, fragment=True)
    messages.success(request, done)
    return redirect(_profile_url(account, rows.block))


@login_required
@form_page
def ratio_create(request, account_id: int):
    return _edit_row(request, account_id, RATIO_ROWS)


@login_required
@form_page
def ratio_edit(request, account_id: int, ratio_id: int):
    return _edit_row(request, account_id, RATIO_ROWS, ratio_id)


@login_required
@require_POST
def ratio_delete(request, account_id: int, ratio_id: int):
    return _remove_row(request, account_id, RATIO_ROWS, ratio_id)


@login_required
@form_page
def competitor_create(request, account_id: int):
    return _edit_row(request, account_id, COMPETITOR_ROWS)


@login_required
@form_page
def competitor_edit(request, account_id: int, competitor_id: int):
    return _edit_row(request, account_id, COMPETITOR_ROWS, competitor_id)


@login_required
@require_POST
def competitor_delete(request, account_id: int, competitor_id: int):
    return _remove_row(request, account_id, COMPETITOR_ROWS, competitor_id)
