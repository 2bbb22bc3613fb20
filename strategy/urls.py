from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    # The programme, criteria, candidates, scoring, matrix, selection.
    path("strategy/", views.strategy, name="strategy"),
    path("strategy/edit/", views.programme_edit, name="programme_edit"),
    path("strategy/roadmap/add/", views.roadmap_add, name="roadmap_add"),
    path("strategy/roadmap/<int:item_id>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("strategy/roadmap/<int:item_id>/delete/", views.roadmap_delete, name="roadmap_delete"),
    path("strategy/criteria/", views.criteria, name="criteria"),
    path("strategy/criteria/settings/", views.matrix_settings, name="matrix_settings"),
    path("strategy/criteria/add/", views.criterion_add, name="criterion_add"),
    path(
        "strategy/criteria/<int:criterion_id>/edit/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "strategy/criteria/<int:criterion_id>/archive/",
        views.criterion_archive,
        name="criterion_archive",
    ),
    path(
        "strategy/criteria/<int:criterion_id>/delete/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("strategy/customers/", views.customer_list, name="customer_list"),
    path("strategy/customers/export.csv", views.customer_export, name="customer_export"),
    path("strategy/customers/add/", views.customer_add, name="customer_add"),
    path("strategy/customers/import/", views.customer_import, name="customer_import"),
    path(
        "strategy/customers/import/confirm/",
        views.customer_import_confirm,
        name="customer_import_confirm",
    ),
    path("strategy/customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("strategy/customers/<int:customer_id>/edit/", views.customer_edit, name="customer_edit"),
    path(
        "strategy/customers/<int:customer_id>/score/",
        views.customer_score,
        name="customer_score",
    ),
    path(
        "strategy/customers/<int:customer_id>/select/",
        views.customer_select,
        name="customer_select",
    ),
    path(
        "strategy/accounts/<int:account_id>/deselect/",
        views.account_deselect,
        name="account_deselect",
    ),
    path(
        "strategy/accounts/<int:account_id>/reclassify/",
        views.account_reclassify,
        name="account_reclassify",
    ),
    path("strategy/matrix/", views.matrix, name="matrix"),
]
