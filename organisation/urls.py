from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("programme-team/", views.index, name="index"),
    path("accounts/<int:account_id>/team/", views.team, name="team"),
    path("accounts/<int:account_id>/team/add/", views.team_add, name="team_add"),
    path(
        "accounts/<int:account_id>/team/<int:membership_id>/edit/",
        views.team_change,
        name="team_change",
    ),
    path(
        "accounts/<int:account_id>/team/<int:membership_id>/remove/",
        views.team_remove,
        name="team_remove",
    ),
    path("accounts/<int:account_id>/team/sponsor/", views.sponsor_set, name="sponsor_set"),
    path("managers/<int:user_id>/", views.manager_profile, name="manager_profile"),
    path("managers/<int:user_id>/assess/", views.manager_assess, name="manager_assess"),
    path("allocation/", views.allocation, name="allocation"),
    path("allocation/<int:account_id>/reassign/", views.reassign, name="reassign"),
    path("roles/", views.job_specs, name="job_specs"),
    path("roles/<str:role>/edit/", views.job_spec_edit, name="job_spec_edit"),
    path("mentoring/", views.mentoring_list, name="mentoring_list"),
    path("mentoring/new/", views.mentoring_new, name="mentoring_new"),
    path("mentoring/<int:pk>/", views.mentoring_detail, name="mentoring_detail"),
    path(
        "mentoring/<int:pk>/steps/<int:step_id>/action/",
        views.mentoring_step_action,
        name="mentoring_step_action",
    ),
    path("handbook/", views.handbook, name="handbook"),
    path("handbook.pdf", views.handbook_pdf, name="handbook_pdf"),
]
