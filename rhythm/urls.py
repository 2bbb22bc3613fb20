from django.urls import path

from . import views

app_name = "rhythm"

reviews = "accounts/<int:account_id>/reviews"

urlpatterns = [
    path(f"{reviews}/", views.review_list, name="reviews"),
    path(f"{reviews}/<int:review_id>/", views.review_detail, name="review"),
    path(f"{reviews}/<int:review_id>/complete/", views.review_complete, name="review_complete"),
    path("reminders/", views.digest, name="digest"),
    path("reminders/settings/", views.digest_settings, name="digest_settings"),
    path("exports/", views.export_list, name="exports"),
    path("exports/new/", views.export_create, name="export_create"),
    path("exports/<uuid:export_id>/", views.export_detail, name="export"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="export_download"),
    path("programme/annual-review/", views.annual_review, name="annual_review"),
    path(
        "programme/annual-review/complete/",
        views.annual_review_complete,
        name="annual_review_complete",
    ),
    path("jobs/", views.job_runs, name="job_runs"),
    path("jobs/run/", views.job_runs_start, name="job_runs_start"),
]
