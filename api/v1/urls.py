from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import views
from .docs import SwaggerDocs
from .errors import no_such_endpoint

app_name = "api_v1"

ACCOUNT = "key-accounts/<int:account_id>/"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocs.as_view(url_name="api_v1:schema"), name="docs"),
    path("key-accounts/", views.KeyAccountList.as_view(), name="key_account_list"),
    path(ACCOUNT, views.KeyAccountDetail.as_view(), name="key_account_detail"),
    path(f"{ACCOUNT}stakeholders/", views.StakeholderList.as_view(), name="stakeholder_list"),
    path(
        f"{ACCOUNT}stakeholders/<int:stakeholder_id>/",
        views.StakeholderDetail.as_view(),
        name="stakeholder_detail",
    ),
    path(f"{ACCOUNT}opportunities/", views.OpportunityList.as_view(), name="opportunity_list"),
    path(
        f"{ACCOUNT}opportunities/<int:opportunity_id>/",
        views.OpportunityDetail.as_view(),
        name="opportunity_detail",
    ),
    path(f"{ACCOUNT}plan/", views.PlanDetail.as_view(), name="plan_detail"),
    path(
        f"{ACCOUNT}targets/<int:target_id>/measurements/",
        views.MeasurementList.as_view(),
        name="measurement_list",
    ),
    path(f"{ACCOUNT}actions/<int:action_id>/", views.ActionDetail.as_view(), name="action_detail"),
    path(
        f"{ACCOUNT}actions/<int:action_id>/progress/",
        views.ActionProgress.as_view(),
        name="action_progress",
    ),
    path(f"{ACCOUNT}meetings/", views.MeetingList.as_view(), name="meeting_list"),
    path("actions/", views.ActionList.as_view(), name="action_list"),
    path("customers/", views.CustomerList.as_view(), name="customer_list"),
    path("customers/<int:customer_id>/", views.CustomerDetail.as_view(), name="customer_detail"),
    # Last: any other path is a JSON 404 (unnamed: not an endpoint of the permission matrix).
    re_path(r"^(?P<rest>.*)$", no_such_endpoint),
]
