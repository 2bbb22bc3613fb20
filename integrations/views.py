"""Webhook subscriptions and CRM exchange pages: programme admins only (403 for everyone else,
as for every programme-wide page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from common.csv_export import csv_response
from common.form_pages import apply_errors, edit_page

from . import crm, selectors, services
from .forms import ImportForm, SubscriptionForm
from .models import ImportRun, ObjectType, Source, WebhookDelivery, WebhookSubscription

PREVIEW_ROWS_SHOWN = 500


def _require_admin(user) -> None:
    permissions.require(
        permissions.can_manage_integrations(user),
        gettext("Only programme admins manage webhooks and CRM exchange."),
    )


@login_required
@require_GET
def index(request):
    _require_admin(request.user)
    return render(
        request,
        "integrations/index.html",
        {
            "subscriptions": selectors.subscriptions(),
            "imports": selectors.recent_imports(),
            "exports": [
                (source, object_type)
                for source in Source
                for object_type in (ObjectType.ACCOUNT, ObjectType.CONTACT, ObjectType.OPPORTUNITY)
            ],
        },
    )


@login_required
def webhook_add(request):
    _require_admin(request.user)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.subscription_save(
                data=form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext(
                    "Subscription saved. Give the receiver its signing secret (below) to verify "
                    "deliveries."
                ),
            )
            return redirect("integrations:webhook_detail", pk=subscription.pk)
    return render(request, "integrations/webhook_form.html", {"form": form})


@login_required
def webhook_edit(request, pk: int):
    _require_admin(request.user)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)

    def save(form):
        # A fresh copy: validating the form wrote its input onto `subscription`.
        return services.subscription_save(
            data=form.cleaned_data,
            acting_user=request.user,
            subscription=WebhookSubscription.objects.get(pk=pk),
            revision=form.opened_at,
        )

    return edit_page(
        request,
        SubscriptionForm(request.POST or None, instance=subscription),
        save=save,
        saved_form=lambda current: SubscriptionForm(instance=current),
        done=lambda _saved: (
            gettext("Subscription saved."),
            reverse("integrations:webhook_detail", kwargs={"pk": pk}),
        ),
        template="integrations/webhook_form.html",
        context={"subscription": subscription},
    )


@login_required
@require_GET
def webhook_detail(request, pk: int):
    _require_admin(request.user)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    page = Paginator(selectors.deliveries_of(subscription), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/webhook_detail.html",
        {"subscription": subscription, "page": page, "Status": WebhookDelivery.Status},
    )


@login_required
@require_POST
def webhook_rotate(request, pk: int):
    _require_admin(request.user)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    services.subscription_rotate_secret(subscription=subscription, acting_user=request.user)
    messages.success(
        request,
        gettext(
            "New signing secret made: the old one no longer signs. Give the receiver the new one."
        ),
    )
    return redirect("integrations:webhook_detail", pk=pk)


@login_required
@require_POST
def delivery_resend(request, pk):
    _require_admin(request.user)
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    services.delivery_resend(delivery=delivery, acting_user=request.user)
    messages.success(request, gettext("The delivery is being sent again (same delivery id)."))
    return redirect("integrations:webhook_detail", pk=delivery.subscription_id)


@login_required
def import_start(request):
    _require_admin(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = crm.import_preview(
            source=form.cleaned_data["source"],
            object_type=form.cleaned_data["object_type"],
            upload=form.upload,
            file_name=form.cleaned_data["file"].name,
            acting_user=request.user,
        )
        return redirect("integrations:import_detail", pk=run.pk)
    return render(
        request,
        "integrations/import_form.html",
        {"form": form, "shapes": crm.SHAPES, "actuals": crm.ACTUALS_SHAPE},
    )


@login_required
@require_GET
def import_detail(request, pk: int):
    _require_admin(request.user)
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
    outcome = run.result if run.status == ImportRun.Status.APPLIED else run.preview
    rows = outcome.get("rows", [])
    return render(
        request,
        "integrations/import_detail.html",
        {
            "run": run,
            "counts": outcome.get("counts", {}),
            # Each failed row's reason in the reader's language.
            "rows": [
                {**row, "reason": crm.reason_shown(row["reason"])}
                for row in rows[:PREVIEW_ROWS_SHOWN]
            ],
            "more_rows": max(len(rows) - PREVIEW_ROWS_SHOWN, 0),
            "Status": ImportRun.Status,
        },
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_admin(request.user)
    run = get_object_or_404(ImportRun, pk=pk)
    run = crm.import_confirm(run=run, acting_user=request.user)
    if run.status == ImportRun.Status.APPLIED:
        counts = run.result["counts"]
        messages.success(
            request,
            gettext(
                "Imported: %(create)s created, %(update)s changed, %(unchanged)s unchanged, "
                "%(failed)s failed."
            )
            % counts,
        )
    elif run.status == ImportRun.Status.QUEUED:
        messages.info(
            request, gettext("The file is being applied in the background; reload this page.")
        )
    return redirect("integrations:import_detail", pk=run.pk)


@login_required
@require_GET
def import_failed_rows(request, pk: int):
    _require_admin(request.user)
    run = get_object_or_404(ImportRun, pk=pk)
    header, rows = crm.failed_rows(run)
    return csv_response(f"failed-rows-{run.pk}.csv", header, rows)


@login_required
@require_GET
def export(request, source: str, object_type: str):
    _require_admin(request.user)
    if source not in Source.values or object_type not in (
        ObjectType.ACCOUNT,
        ObjectType.CONTACT,
        ObjectType.OPPORTUNITY,
    ):
        raise Http404
    header, rows = crm.export_rows(source=source, object_type=object_type)
    return csv_response(f"kam-{source}-{object_type}s.csv", header, rows)
