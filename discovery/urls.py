from django.urls import path

from . import views

app_name = "discovery"

A = "accounts/<int:account_id>/"

urlpatterns = [
    path("discovery/", views.index, name="index"),
    # profile (desk research)
    path(A + "profile/", views.profile, name="profile"),
    path(A + "profile/sections/<slug:key>/edit/", views.profile_section_edit, name="section_edit"),
    path(A + "profile/ratios/new/", views.ratio_create, name="ratio_create"),
    path(A + "profile/ratios/<int:ratio_id>/edit/", views.ratio_edit, name="ratio_edit"),
    path(A + "profile/ratios/<int:ratio_id>/delete/", views.ratio_delete, name="ratio_delete"),
    path(A + "profile/competitors/new/", views.competitor_create, name="competitor_create"),
    path(
        A + "profile/competitors/<int:competitor_id>/edit/",
        views.competitor_edit,
        name="competitor_edit",
    ),
    path(
        A + "profile/competitors/<int:competitor_id>/delete/",
        views.competitor_delete,
        name="competitor_delete",
    ),
    # stakeholders and map
    path(A + "stakeholders/", views.stakeholders, name="stakeholders"),
    path(A + "stakeholders/map/", views.stakeholder_map, name="stakeholder_map"),
    path(A + "stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path(
        A + "stakeholders/<int:stakeholder_id>/edit/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        A + "stakeholders/<int:stakeholder_id>/archive/",
        views.stakeholder_archive,
        name="stakeholder_archive",
    ),
    path(
        A + "stakeholders/<int:stakeholder_id>/restore/",
        views.stakeholder_restore,
        name="stakeholder_restore",
    ),
    # interviews and the ideas they reveal
    path(A + "interviews/", views.interviews, name="interviews"),
    path(A + "interviews/new/", views.interview_create, name="interview_create"),
    path(
        A + "interviews/<int:interview_id>/",
        views.interview_detail,
        name="interview_detail",
    ),
    path(
        A + "interviews/<int:interview_id>/edit/",
        views.interview_edit,
        name="interview_edit",
    ),
    path(A + "interviews/<int:interview_id>/ideas/", views.idea_add, name="idea_add"),
    path(
        A + "interviews/<int:interview_id>/ideas/<int:idea_id>/delete/",
        views.idea_delete,
        name="idea_delete",
    ),
    # relationship stage, buy-sell position, service level
    path(A + "relationship/", views.relationship, name="relationship"),
    path(A + "relationship/update/", views.relationship_update, name="relationship_update"),
    # profitability and lifetime value
    path(A + "profitability/", views.profitability, name="profitability"),
    path(A + "profitability/years/new/", views.year_create, name="year_create"),
    path(A + "profitability/years/<int:year_id>/edit/", views.year_edit, name="year_edit"),
    path(
        A + "profitability/years/<int:year_id>/delete/",
        views.year_delete,
        name="year_delete",
    ),
    path(
        A + "profitability/lifetime-value/",
        views.lifetime_value_edit,
        name="lifetime_value_edit",
    ),
]
