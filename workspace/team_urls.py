"""The team's pages about the customer workspace (logged in, accounts/permissions.py)."""

from django.urls import path

from . import views

app_name = "workspace_team"

ws = "accounts/<int:account_id>/workspace"

urlpatterns = [
    path(f"{ws}/", views.invitations, name="invitations"),
    path(f"{ws}/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path(f"{ws}/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path(f"{ws}/proposals/", views.team_proposals, name="proposals"),
    path(f"{ws}/proposals/<int:pk>/", views.team_proposal, name="proposal"),
    path(f"{ws}/proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("accounts/<int:account_id>/satisfaction/", views.satisfaction, name="satisfaction"),
    path(
        "accounts/<int:account_id>/reviews/<int:review_id>/with-customer/",
        views.joint_review,
        name="joint_review",
    ),
    path("programme/alignment-questions/", views.questions, name="questions"),
    path("programme/alignment-questions/<int:pk>/", views.question_edit, name="question_edit"),
]
