from django.urls import path

from . import views

app_name = "planning"

plan = "accounts/<int:account_id>/plan"

urlpatterns = [
    path("plans/", views.index, name="index"),
    # Stable entry point (documented in the README): the current plan as a two-page PDF.
    path("accounts/<int:account_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(f"{plan}/", views.plan_detail, name="plan"),
    path(f"{plan}/start/", views.plan_start, name="plan_start"),
    path(f"{plan}/submit/", views.plan_submit, name="submit"),
    path(f"{plan}/approve/", views.plan_approve, name="approve"),
    path(f"{plan}/return/", views.plan_return, name="return"),
    path(f"{plan}/versions/", views.version_list, name="versions"),
    path(f"{plan}/versions/compare/", views.version_compare, name="version_compare"),
    path(f"{plan}/versions/<int:number>/", views.version_detail, name="version"),
    path(
        f"{plan}/versions/review-<int:number>/",
        views.review_snapshot_detail,
        name="review_snapshot",
    ),
    path(f"{plan}/sections/<str:section>/", views.section_save, name="section_save"),
    # Items: objective, target, measurement, action, engagement, risk.
    path(f"{plan}/<str:kind>/add/", views.item_save, name="item_add"),
    path(f"{plan}/<str:kind>/add-to/<int:parent>/", views.item_save, name="item_add_to"),
    path(f"{plan}/<str:kind>/<int:pk>/", views.item_save, name="item_edit"),
    path(f"{plan}/<str:kind>/<int:pk>/remove/", views.item_remove, name="item_remove"),
]
