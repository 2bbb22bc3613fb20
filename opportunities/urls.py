from django.urls import path

from . import views

app_name = "opportunities"

ACCOUNT = "accounts/<int:account_id>/opportunities/"

urlpatterns = [
    path("opportunities/", views.index, name="index"),
    path("opportunities/export.csv", views.pipeline_csv, name="pipeline_csv"),
    path("opportunities/ideas/<int:idea_id>/convert/", views.idea_convert, name="idea_convert"),
    path("opportunities/offerings/", views.offering_list, name="offering_list"),
    path("opportunities/offerings/new/", views.offering_create, name="offering_create"),
    path("opportunities/offerings/<int:pk>/edit/", views.offering_edit, name="offering_edit"),
    path("opportunities/offerings/<int:pk>/prices/", views.offering_prices, name="offering_prices"),
    path(
        "opportunities/offerings/<int:pk>/archive/",
        views.offering_archive,
        name="offering_archive",
    ),
    path(ACCOUNT, views.account_opportunities, name="account_opportunities"),
    path(f"{ACCOUNT}export.csv", views.account_opportunities_csv, name="account_csv"),
    path(f"{ACCOUNT}new/", views.opportunity_create, name="opportunity_create"),
    path(f"{ACCOUNT}<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path(f"{ACCOUNT}<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path(f"{ACCOUNT}<int:pk>/decide/", views.opportunity_decide, name="opportunity_decide"),
    path(f"{ACCOUNT}workshops/", views.workshop_list, name="workshop_list"),
    path(f"{ACCOUNT}workshops/new/", views.workshop_create, name="workshop_create"),
    path(f"{ACCOUNT}workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path(f"{ACCOUNT}workshops/<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path(f"{ACCOUNT}white-space/", views.white_space, name="white_space"),
    path(f"{ACCOUNT}white-space/units/", views.business_unit_create, name="unit_create"),
    path(f"{ACCOUNT}white-space/units/<int:pk>/edit/", views.business_unit_edit, name="unit_edit"),
    path(
        f"{ACCOUNT}white-space/units/<int:pk>/delete/",
        views.business_unit_delete,
        name="unit_delete",
    ),
    path(f"{ACCOUNT}white-space/cell/", views.white_space_cell, name="cell_set"),
    path(
        f"{ACCOUNT}white-space/cell/opportunity/",
        views.white_space_cell_opportunity,
        name="cell_opportunity",
    ),
]
