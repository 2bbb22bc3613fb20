"""Stage 1 pages: the programme, selection criteria, candidate customers, scoring, the
classification matrix and selection. Access -> form -> service -> redirect."""

import secrets
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import CLASS_STRATEGY, AccountEvent, Classification, Customer, Programme
from accounts.selectors import account_team
from common import inplace
from common.conflicts import (
    EditConflict,
    conflict_response,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
)
from common.csv_export import csv_response
from common.form_pages import apply_errors

from . import selectors, services
from .customer_import import COLUMNS, MONEY_COLUMNS, read_customer_csv, score_columns
from .forms import (
    CriterionForm,
    CustomerForm,
    CustomerImportForm,
    DeselectForm,
    MatrixSettingsForm,
    ProgrammeForm,
    ReclassifyForm,
    RoadmapItemForm,
    ScoreForm,
    SelectForm,
)
from .models import CriterionScore, RoadmapItem, SelectionCriterion

PAGE_SIZE = 25
RESCORE_NAMES_SHOWN = 5
IMPORT_SESSION_KEY = "accounts_customer_import"
IMPORT_DONE_SESSION_KEY = "accounts_customer_import_done"  # the last confirmed preview
# The customer page is open to every candidate viewer, so it shows only selection history,
# never later stages' events (meetings, quotes) of accounts the viewer is not on.
SELECTION_EVENT_KINDS = [
    AccountEvent.Kind.SELECTED,
    AccountEvent.Kind.RESELECTED,
    AccountEvent.Kind.DESELECTED,
    AccountEvent.Kind.CLASS_CHANGED,
]


def _strategy_context(user, **extra) -> dict:
    return {**permissions.strategy_flags(user), **extra}


# ---- programme ----------------------------------------------------------------------------


@login_required
@require_GET
def strategy(request):
    programme = Programme.current()
    roadmap = RoadmapItem.objects.filter(programme_id=programme.pk).select_related("owner")
    context = _strategy_context(
        request.user,
        programme=programme,
        roadmap=roadmap,
        objectives=[line for line in programme.objectives.splitlines() if line.strip()],
        criteria=selectors.criteria_for(programme=programme, include_archived=False),
        share=services.key_account_share(programme),
    )
    return render(request, "strategy/programme.html", context)


@login_required
def programme_edit(request):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()
    if request.method == "POST":
        form = ProgrammeForm(request.POST, instance=Programme.current())
        if form.is_valid():
            try:
                services.programme_update(
                    programme=programme,
                    data=form.cleaned_data,
                    acting_user=request.user,
                    revision=form.cleaned_data["revision"],
                )
            except EditConflict as conflict:
                saved = conflict.current
                return conflict_response(
                    request,
                    "strategy/programme_form.html",
                    {"form": form, "programme": programme},
                    conflict=conflict,
                    form=form,
                    saved=ProgrammeForm(instance=saved, initial={"revision": saved.revision}),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("strategy:strategy")
    else:
        form = ProgrammeForm(instance=programme, initial={"revision": programme.revision})
    return render(
        request,
        "strategy/programme_form.html",
        {"form": form, "programme": programme},
    )


@login_required
def roadmap_add(request):
    return _roadmap_form(request, item=None)


@login_required
def roadmap_edit(request, item_id: int):
    programme = Programme.current()
    return _roadmap_form(
        request, item=get_object_or_404(RoadmapItem, pk=item_id, programme_id=programme.pk)
    )


def _roadmap_form(request, *, item):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()
    form = RoadmapItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_item_save(
                programme=programme,
                data=form.cleaned_data,
                acting_user=request.user,
                item=item,
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                "strategy/roadmap_form.html",
                {"form": form, "item": item},
                conflict=conflict,
                form=form,
                saved=RoadmapItemForm(instance=conflict.current),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Roll-out step saved."))
            return redirect(reverse("strategy:strategy") + "#roadmap")
    return render(request, "strategy/roadmap_form.html", {"form": form, "item": item})


@login_required
@require_POST
def roadmap_delete(request, item_id: int):
    permissions.require(permissions.can_edit_programme(request.user))
    item = get_object_or_404(RoadmapItem, pk=item_id, programme_id=Programme.current().pk)
    services.roadmap_item_delete(item=item, acting_user=request.user)
    messages.success(request, _("Roll-out step '%(title)s' removed.") % {"title": item.title})
    return redirect(reverse("strategy:strategy") + "#roadmap")


# ---- criteria -----------------------------------------------------------------------------


@login_required
@require_GET
def criteria(request):
    return _criteria_page(request)


def _rescore_message(result: services.RescoreResult) -> str:
    """What a change of weights, axes or thresholds did, as the user is told it: the numbers
    the service counted, and the customers whose class moved (the first few by name)."""
    text = result.summary()
    if result.class_changes:
        shown = [
            f"{c.customer.name} ({_class_label(c.old)} → {_class_label(c.new)})"
            for c in result.class_changes[:RESCORE_NAMES_SHOWN]
        ]
        more = len(result.class_changes) - len(shown)
        text += ": " + ", ".join(shown)
        if more > 0:
            text += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {
                "count": more
            }
    return text + "."


def _class_label(value: str) -> str:
    return Classification(value).label if value else _("not classified")


# The criteria tables are one block edited in place (common/inplace.py): "Add a criterion" and
# "Edit" open their form in it (strategy/_criteria_tables.html, which criteria.html includes); a
# save redraws both axes, since a weight moves every share of its axis.
CRITERIA = "criteria-tables"


def _criteria_page(request, settings_form=None, conflict=None, *, editing=None, status=200,
                   announce="", fragment=False):  # fmt: skip
    programme = Programme.current()
    all_criteria = selectors.criteria_for(programme=programme)
    context = _strategy_context(
        request.user,
        programme=programme,
        axes=[
            {
                "label": label,
                "value": value,
                "criteria": [c for c in all_criteria if c.axis == value and not c.archived_at],
                "threshold": getattr(programme, f"{value}_threshold"),
            }
            for value, label in (
                ("attractiveness", _("Account attractiveness")),
                ("strength", _("Our business strength")),
            )
        ],
        archived=[c for c in all_criteria if c.archived_at],
        # The programme is one row, edited even before it is first saved (revision 0 then).
        settings_form=settings_form
        or MatrixSettingsForm(instance=programme, initial={"revision": programme.revision}),
        conflict=conflict,
        editing=editing,
        editing_anchor=CRITERIA,
    )
    if conflict and not fragment:
        status = conflict.status
    return inplace.page_or_fragment(
        request, "strategy/criteria.html", ["strategy/_criteria_tables.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_POST
def matrix_settings(request):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()
    form = MatrixSettingsForm(request.POST, instance=Programme.current())
    if form.is_valid():
        try:
            result = services.programme_matrix_settings_update(
                programme=programme,
                acting_user=request.user,
                attractiveness_threshold=form.cleaned_data["attractiveness_threshold"],
                strength_threshold=form.cleaned_data["strength_threshold"],
                key_account_limit_percent=form.cleaned_data["key_account_limit_percent"],
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            details = describe_conflict(
                conflict, form=form, saved=MatrixSettingsForm(instance=conflict.current)
            )
            return _criteria_page(request, settings_form=form, conflict=details)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Matrix settings saved; %(result)s") % {"result": _rescore_message(result)},
            )
            return redirect("strategy:criteria")
    return _criteria_page(request, settings_form=form)


@login_required
def criterion_add(request):
    return _criterion_form(request, criterion=None)


@login_required
def criterion_edit(request, criterion_id: int):
    programme = Programme.current()
    criterion = get_object_or_404(SelectionCriterion, pk=criterion_id, programme_id=programme.pk)
    return _criterion_form(request, criterion=criterion)


def _criterion_form(request, *, criterion):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()

    def save(bound):
        return services.criterion_save(
            programme=programme,
            data=bound.cleaned_data,
            acting_user=request.user,
            criterion=criterion,
            revision=bound.opened_at,
        )

    return inplace.edit_in_place(
        request,
        block=CRITERIA,
        render=partial(_criteria_page, request),
        # Its own ids: the matrix settings form on the same page has a `revision` too.
        form=lambda data=None: CriterionForm(data, instance=criterion, auto_id="criterion_%s"),
        save=save,
        saved_form=lambda current: CriterionForm(instance=current),
        done=lambda result: (
            _("Criterion saved; %(rescored)s") % {"rescored": _rescore_message(result)}
        ),
        redirect_to=lambda result: reverse("strategy:criteria"),
        cancel_url=reverse("strategy:criteria"),
        mode="edit" if criterion else "add",
        pk=criterion.pk if criterion else None,
        add_another=True,
    )


@login_required
@require_POST
def criterion_archive(request, criterion_id: int):
    permissions.require(permissions.can_edit_programme(request.user))
    criterion = get_object_or_404(
        SelectionCriterion, pk=criterion_id, programme_id=Programme.current().pk
    )
    archive = request.POST.get("archived", "1") == "1"
    result = services.criterion_set_archived(
        criterion=criterion, archived=archive, acting_user=request.user
    )
    if archive:
        messages.success(
            request,
            _("'%(name)s' archived: it no longer counts, its scores are kept; %(result)s")
            % {"name": criterion.name, "result": _rescore_message(result)},
        )
    else:
        messages.success(
            request,
            _("'%(name)s' restored and counting again; %(result)s")
            % {"name": criterion.name, "result": _rescore_message(result)},
        )
    return redirect("strategy:criteria")


@login_required
@require_POST
def criterion_delete(request, criterion_id: int):
    permissions.require(permissions.can_edit_programme(request.user))
    criterion = get_object_or_404(
        SelectionCriterion, pk=criterion_id, programme_id=Programme.current().pk
    )
    try:
        services.criterion_delete(criterion=criterion, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("'%(name)s' deleted.") % {"name": criterion.name})
    return redirect("strategy:criteria")


# ---- customers ----------------------------------------------------------------------------


@login_required
@require_GET
def customer_list(request):
    permissions.require(permissions.can_view_candidates(request.user))
    programme = Programme.current()
    filters = {
        "query": request.GET.get("q", "").strip(),
        "classification": request.GET.get("class", ""),
        "selection": request.GET.get("selected", ""),
    }
    customers = selectors.customer_list(user=request.user, **filters)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _strategy_context(
        request.user,
        page=page,
        programme=programme,
        active_count=selectors.active_criteria_count(programme=programme),
        classes=Classification.choices,
        selections=selectors.CUSTOMER_SELECTION_FILTERS.items(),
        share=services.key_account_share(programme),
        **filters,
    )
    return render(request, "strategy/customer_list.html", context)


@login_required
@require_GET
def customer_export(request):
    permissions.require(permissions.can_view_candidates(request.user))
    customers = selectors.customer_list(
        user=request.user,
        query=request.GET.get("q", "").strip(),
        classification=request.GET.get("class", ""),
        selection=request.GET.get("selected", ""),
    )
    criteria = score_columns(Programme.current())
    header = [
        *COLUMNS,
        *(title for title, _ in criteria),
        "attractiveness_score",
        "strength_score",
        "classification",
        "key_account_status",
    ]
    # One column per active criterion: the file imports again with its scores.
    customers = customers.prefetch_related(
        Prefetch(
            "scores",
            queryset=CriterionScore.objects.filter(criterion__in=[c for _, c in criteria]),
            to_attr="exported_scores",
        )
    )

    def rows():
        for c in customers.iterator(chunk_size=1000):
            account = getattr(c, "key_account", None)
            scores = {s.criterion_id: s.score for s in c.exported_scores}
            yield [
                c.reference,
                c.name,
                c.sector,
                c.country,
                c.annual_revenue,
                c.potential_spend,
                c.notes,
                *(scores.get(criterion.pk) for _, criterion in criteria),
                c.attractiveness_score,
                c.strength_score,
                c.classification,
                account.status if account else "",
            ]

    return csv_response("customers.csv", header, rows())


@login_required
def customer_add(request):
    return _customer_form(request, customer=None)


@login_required
def customer_edit(request, customer_id: int):
    return _customer_form(request, customer=get_object_or_404(Customer, pk=customer_id))


def _customer_form(request, *, customer):
    permissions.require(permissions.can_manage_customers(request.user))
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.customer_save(
                data=form.cleaned_data,
                acting_user=request.user,
                customer=customer,
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                "strategy/customer_form.html",
                {"form": form, "customer": customer},
                conflict=conflict,
                form=form,
                saved=CustomerForm(instance=conflict.current),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("strategy:customer_detail", customer_id=saved.pk)
    return render(request, "strategy/customer_form.html", {"form": form, "customer": customer})


def _preview_to_session(preview, filename: str) -> dict:
    return {
        "token": secrets.token_urlsafe(16),
        "filename": filename,
        # Scores stay numbers (JSON keys become text: criterion ids are read back as ints).
        "rows": [
            {k: v if k == "scores" else str(v) for k, v in row.items()} for row in preview.rows
        ],
        "score_columns": preview.score_columns,
        "bad_rows": [[b.line, b.reference, b.reason] for b in preview.bad_rows],
        "ignored_columns": preview.ignored_columns,
        "new_count": preview.new_count,
        "update_count": preview.update_count,
    }


def _rows_from_session(stored: dict) -> list[dict]:
    rows = []
    for stored_row in stored["rows"]:
        row = {k: Decimal(v) if k in MONEY_COLUMNS else v for k, v in stored_row.items()}
        row["scores"] = {int(pk): score for pk, score in stored_row.get("scores", {}).items()}
        rows.append(row)
    return rows


@login_required
def customer_import(request):
    """Upload: read and check the file, keep the good rows in the session, show the preview."""
    permissions.require(permissions.can_manage_customers(request.user))
    form = CustomerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = read_customer_csv(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            stored = _preview_to_session(preview, upload.name)
            request.session[IMPORT_SESSION_KEY] = stored
            return _render_preview(request, stored)
    return render(request, "strategy/customer_import.html", {"form": form})


def _render_preview(request, stored: dict, error: str = ""):
    return render(
        request,
        "strategy/customer_import_preview.html",
        {
            "stored": stored,
            "good_count": len(stored["rows"]),
            "sample": stored["rows"][:10],
            "bad_rows": stored["bad_rows"],
            "error": error,
        },
    )


def _import_still_pending(request, token: str) -> bool:
    """Is this preview still waiting, as the session is saved now (not as this request read it
    when it began: a first click on confirm may have imported it since)?"""
    saved = type(request.session)(request.session.session_key).get(IMPORT_SESSION_KEY)
    return bool(saved) and saved["token"] == token


def _import_gone(request, token: str | None):
    """The preview is no longer waiting: imported by an earlier click, or expired."""
    saved = type(request.session)(request.session.session_key)
    done = saved.get(IMPORT_DONE_SESSION_KEY)
    if token and done and done["token"] == token:
        messages.info(
            request,
            _(
                "%(filename)s was already imported (confirmed twice?): nothing more was "
                "changed. The customers are listed below."
            )
            % {"filename": done["filename"]},
        )
        return redirect("strategy:customer_list")
    messages.error(request, _("That import preview has expired. Upload the file again."))
    return redirect("strategy:customer_import")


@login_required
@require_POST
def customer_import_confirm(request):
    """Import the previewed rows, once: a second click (double-click, reload) while or after
    the first runs waits for it and then says the file was already imported."""
    permissions.require(permissions.can_manage_customers(request.user))
    token = request.POST.get("token")
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or token != stored["token"]:
        return _import_gone(request, token)
    if stored["bad_rows"] and request.POST.get("skip_bad") != "1":
        return _render_preview(
            request,
            stored,
            error=_(
                "Tick 'Skip the bad rows' to import the good rows, or fix the file and "
                "upload it again."
            ),
        )
    with transaction.atomic():
        # Imports take turns; the session (saved in the database) says whether an earlier click
        # imported this preview while this one waited. The preview leaves the session in the
        # same transaction as the import, so the two cannot disagree.
        services.customers_import_serialise()
        if not _import_still_pending(request, token):
            return _import_gone(request, token)
        try:
            result = services.customers_import(
                rows=_rows_from_session(stored),
                acting_user=request.user,
                source=stored["filename"],
            )
        except ValidationError as error:
            del request.session[IMPORT_SESSION_KEY]
            request.session.save()
            messages.error(request, " ".join(error.messages))
            return redirect("strategy:customer_import")
        del request.session[IMPORT_SESSION_KEY]
        request.session[IMPORT_DONE_SESSION_KEY] = {"token": token, "filename": stored["filename"]}
        request.session.save()
    skipped = len(stored["bad_rows"])
    counts = {
        "filename": stored["filename"],
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": skipped,
    }
    if skipped:
        text = _(
            "Imported %(filename)s: %(created)s new, %(updated)s updated, %(unchanged)s "
            "unchanged, %(skipped)s bad rows skipped."
        )
    else:
        text = _(
            "Imported %(filename)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
        )
    text = text % counts
    if stored.get("score_columns"):
        text += " " + ngettext(
            "Selection scores changed for %(count)s customer; %(result)s",
            "Selection scores changed for %(count)s customers; %(result)s",
            result.scores_changed,
        ) % {"count": result.scores_changed, "result": _rescore_message(result.rescore)}
    messages.success(request, text)
    return redirect("strategy:customer_list")


@login_required
@require_GET
def customer_detail(request, customer_id: int):
    permissions.require(permissions.can_view_candidates(request.user))
    customer = get_object_or_404(
        Customer.objects.select_related("key_account", "parent"), pk=customer_id
    )
    programme = Programme.current()
    criteria = selectors.criteria_for(programme=programme, include_archived=False)
    scores = {
        s.criterion_id: s
        for s in customer.scores.select_related("scored_by").filter(criterion__in=criteria)
    }
    account = getattr(customer, "key_account", None)
    rows = [{"criterion": c, "score": scores.get(c.pk)} for c in criteria]
    context = _strategy_context(
        request.user,
        customer=customer,
        account=account,
        programme=programme,
        rows=rows,
        missing=sum(1 for row in rows if row["score"] is None),
        strategy_text=CLASS_STRATEGY.get(customer.classification, ""),
        can_open_account=bool(account) and permissions.can(request.user, "view", account),
        can_change_selection=bool(account)
        and permissions.can_change_selection(request.user, account),
        events=account.events.filter(kind__in=SELECTION_EVENT_KINDS).select_related("actor")
        if account
        else [],
        team=account_team(account=account) if account else [],
        class_changes=selectors.customer_class_changes(customer=customer),
        subsidiaries=list(customer.subsidiaries.only("pk", "name").order_by("name")),
        class_mismatch=bool(account)
        and account.is_active
        and customer.classification
        and customer.classification != account.classification,
    )
    return render(request, "strategy/customer_detail.html", context)


@login_required
def customer_score(request, customer_id: int):
    permissions.require(permissions.can_score_customers(request.user))
    customer = get_object_or_404(Customer, pk=customer_id)
    programme = Programme.current()
    criteria = selectors.criteria_for(programme=programme, include_archived=False)
    saved = dict(
        customer.scores.filter(criterion__in=criteria).values_list("criterion_id", "score")
    )
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.customer_score(
                    customer=customer,
                    scores=form.scores(),
                    acting_user=request.user,
                    revision=form.cleaned_data["revision"],
                )
            except EditConflict as conflict:
                current = conflict.current
                saved_now = dict(
                    current.scores.filter(criterion__in=criteria).values_list(
                        "criterion_id", "score"
                    )
                )
                return conflict_response(
                    request,
                    "strategy/score_form.html",
                    {"form": form, "customer": customer},
                    conflict=conflict,
                    form=form,
                    saved=ScoreForm(
                        criteria=criteria,
                        initial_scores=saved_now,
                        initial={"revision": current.revision},
                    ),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Scores for %(name)s saved.") % {"name": customer.name})
                return redirect("strategy:customer_detail", customer_id=customer.pk)
    else:
        form = ScoreForm(
            criteria=criteria,
            initial_scores=saved,
            initial={"revision": customer.revision},
        )
    return render(
        request,
        "strategy/score_form.html",
        {"form": form, "customer": customer},
    )


# ---- selection ----------------------------------------------------------------------------


# What a page deciding on a customer's or an account's selection shows of it: a decision from
# a page loaded before it changed lists those that changed.
CUSTOMER_SHOWN = (
    (gettext_lazy("Class from the scores"), lambda customer: customer.get_classification_display()),
    (gettext_lazy("Attractiveness"), lambda customer: customer.attractiveness_score),
    (gettext_lazy("Strength"), lambda customer: customer.strength_score),
    (gettext_lazy("Last change"), lambda customer: customer.updated_at),
)
ACCOUNT_SHOWN = (
    (gettext_lazy("Status"), lambda account: account.get_status_display()),
    (gettext_lazy("Class"), lambda account: account.get_classification_display()),
    (gettext_lazy("Last change"), lambda account: account.updated_at),
)


def _selection_conflict(request, conflict: EditConflict, seen):
    account = conflict.current
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=ACCOUNT_SHOWN,
        what=account.name,
        back_url=reverse("strategy:customer_detail", args=[account.customer_id]),
        context={"account": account},
    )


@login_required
def customer_select(request, customer_id: int):
    permissions.require(
        permissions.can_select_accounts(request.user),
        _("Only key account directors and programme admins select key accounts."),
    )
    customer = get_object_or_404(Customer.objects.select_related("key_account"), pk=customer_id)
    account = getattr(customer, "key_account", None)
    if account is not None and account.is_active:
        messages.info(request, _("%(name)s is already a key account.") % {"name": customer.name})
        return redirect("strategy:customer_detail", customer_id=customer.pk)
    initial = {"classification": customer.classification or Classification.STAR}
    if permissions.is_director(request.user):
        initial["director"] = request.user.pk
    form = SelectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        seen = decision_revision(request)
        try:
            services.key_account_select(
                customer=customer, acting_user=request.user, revision=seen, **form.cleaned_data
            )
        except EditConflict as conflict:
            return decision_conflict_response(
                request,
                conflict,
                seen_revision=seen,
                shown=CUSTOMER_SHOWN,
                what=customer.name,
                back_url=reverse("strategy:customer_select", args=[customer.pk]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now a key account.") % {"name": customer.name})
            return redirect("strategy:customer_detail", customer_id=customer.pk)
    share = services.key_account_share()
    return render(
        request,
        "strategy/select_form.html",
        {"form": form, "customer": customer, "account": account, "share": share},
    )


@login_required
def account_deselect(request, account_id: int):
    account = permissions.get_account_for_user(
        request.user, account_id, permissions.CHANGE_SELECTION
    )
    if not account.is_active:
        messages.info(request, _("%(name)s is already de-selected.") % {"name": account.name})
        return redirect("strategy:customer_detail", customer_id=account.customer_id)
    form = DeselectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        seen = decision_revision(request)
        try:
            services.key_account_deselect(
                account=account,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                revision=seen,
            )
        except EditConflict as conflict:
            return _selection_conflict(request, conflict, seen)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s de-selected. The reason is on its timeline.") % {"name": account.name},
            )
            return redirect("strategy:customer_detail", customer_id=account.customer_id)
    return render(request, "strategy/deselect_form.html", {"form": form, "account": account})


@login_required
def account_reclassify(request, account_id: int):
    account = permissions.get_account_for_user(
        request.user, account_id, permissions.CHANGE_SELECTION
    )
    initial = {}
    computed = account.customer.classification
    proposed = request.GET.get("to", "")  # from a quarterly review's proposal
    if proposed in Classification.values and proposed != account.classification:
        initial["classification"] = proposed
    elif computed and computed != account.classification:
        initial["classification"] = computed
    form = ReclassifyForm(request.POST or None, initial=initial, current=account.classification)
    if request.method == "POST" and form.is_valid():
        seen = decision_revision(request)
        try:
            services.key_account_reclassify(
                account=account, acting_user=request.user, revision=seen, **form.cleaned_data
            )
        except EditConflict as conflict:
            return _selection_conflict(request, conflict, seen)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s re-classified.") % {"name": account.name})
            return redirect("strategy:customer_detail", customer_id=account.customer_id)
    return render(
        request,
        "strategy/reclassify_form.html",
        {"form": form, "account": account, "computed": computed},
    )


# ---- matrix -------------------------------------------------------------------------------


@login_required
@require_GET
def matrix(request):
    permissions.require(permissions.can_view_candidates(request.user))
    programme = Programme.current()
    context = _strategy_context(
        request.user,
        programme=programme,
        chart=selectors.matrix_chart(programme=programme),
        share=services.key_account_share(programme),
    )
    return render(request, "strategy/matrix.html", context)
