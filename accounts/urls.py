from django.urls import path

from . import strategy_views as strategy
from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:account_id>/", views.account_detail, name="account_detail"),
    # Stage 1: programme, criteria, candidates, scoring, matrix, selection.
    path("strategy/", strategy.strategy, name="strategy"),
    path("strategy/edit/", strategy.programme_edit, name="programme_edit"),
    path("strategy/roadmap/add/", strategy.roadmap_add, name="roadmap_add"),
    path("strategy/roadmap/<int:item_id>/edit/", strategy.roadmap_edit, name="roadmap_edit"),
    path("strategy/roadmap/<int:item_id>/delete/", strategy.roadmap_delete, name="roadmap_delete"),
    path("strategy/criteria/", strategy.criteria, name="criteria"),
    path("strategy/criteria/settings/", strategy.matrix_settings, name="matrix_settings"),
    path("strategy/criteria/add/", strategy.criterion_add, name="criterion_add"),
    path(
        "strategy/criteria/<int:criterion_id>/edit/",
        strategy.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "strategy/criteria/<int:criterion_id>/archive/",
        strategy.criterion_archive,
        name="criterion_archive",
    ),
    path(
        "strategy/criteria/<int:criterion_id>/delete/",
        strategy.criterion_delete,
        name="criterion_delete",
    ),
    path("strategy/customers/", strategy.customer_list, name="customer_list"),
    path("strategy/customers/export.csv", strategy.customer_export, name="customer_export"),
    path("strategy/customers/add/", strategy.customer_add, name="customer_add"),
    path("strategy/customers/import/", strategy.customer_import, name="customer_import"),
    path(
        "strategy/customers/import/confirm/",
        strategy.customer_import_confirm,
        name="customer_import_confirm",
    ),
    path("strategy/customers/<int:customer_id>/", strategy.customer_detail, name="customer_detail"),
    path(
        "strategy/customers/<int:customer_id>/edit/", strategy.customer_edit, name="customer_edit"
    ),
    path(
        "strategy/customers/<int:customer_id>/score/",
        strategy.customer_score,
        name="customer_score",
    ),
    path(
        "strategy/customers/<int:customer_id>/select/",
        strategy.customer_select,
        name="customer_select",
    ),
    path(
        "strategy/accounts/<int:account_id>/deselect/",
        strategy.account_deselect,
        name="account_deselect",
    ),
    path(
        "strategy/accounts/<int:account_id>/reclassify/",
        strategy.account_reclassify,
        name="account_reclassify",
    ),
    path("strategy/matrix/", strategy.matrix, name="matrix"),
]
