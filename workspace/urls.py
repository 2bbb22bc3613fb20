"""The customer's pages: reached with a personal link, no login (see access.py)."""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("workspace/join/<str:token>/", views.enter, name="enter"),
    path("workspace/", views.home, name="home"),
    path("workspace/actions/<int:action_id>/", views.action_tick, name="action_tick"),
    path("workspace/comment/", views.comment, name="comment"),
    path("workspace/plan/<int:version_id>/accept/", views.accept, name="accept"),
    path("workspace/reviews/<int:joint_id>/", views.review_answer, name="review_answer"),
    path("workspace/value/<int:value_id>/confirm/", views.value_confirm, name="value_confirm"),
    path("workspace/proposals/", views.proposals, name="proposals"),
    path(
        "workspace/proposals/<int:pk>/withdraw/",
        views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path("workspace/language/", views.page_language, name="page_language"),
    path("workspace/leave/", views.leave, name="leave"),
]
