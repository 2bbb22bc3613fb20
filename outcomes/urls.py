from django.urls import path

from . import views

app_name = "outcomes"

A = "accounts/<int:account_id>/"

urlpatterns = [
    path(A + "value/", views.value_list, name="value_list"),
    path(A + "value/new/", views.value_create, name="value_create"),
    path(A + "value/<int:value_id>/edit/", views.value_edit, name="value_edit"),
    path(A + "value/<int:value_id>/confirm/", views.value_confirm, name="value_confirm"),
    path(A + "value/<int:value_id>/delete/", views.value_delete, name="value_delete"),
    path(A + "issues/", views.issue_list, name="issue_list"),
    path(A + "issues/new/", views.issue_create, name="issue_create"),
    path(A + "issues/<int:issue_id>/edit/", views.issue_edit, name="issue_edit"),
]
