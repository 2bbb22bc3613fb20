from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import urls as accounts_urls
from portfolio.views import account_overview

from . import password_reset, sso, views

handler400 = "kam.errors.bad_request"

# The account overview gathers every stage (see portfolio/views.py) but keeps its name in the
# accounts namespace, where every link to an account points.
accounts_patterns = [
    *accounts_urls.urlpatterns,
    path("accounts/<int:account_id>/", account_overview, name="account_detail"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", sso.LoginView.as_view(), name="login"),
    path("logout/", sso.LogoutView.as_view(), name="logout"),
    # Single sign-on (kam/sso.py): 404 until KAM_OIDC_CLIENT_ID is set. The names are the ones
    # mozilla-django-oidc reverses.
    path("oidc/authenticate/", sso.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", sso.CallbackView.as_view(), name="oidc_authentication_callback"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        password_reset.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("", include((accounts_patterns, accounts_urls.app_name))),
    path("", include("notifications.urls")),
    path("", include("strategy.urls")),
    path("", include("discovery.urls")),
    path("", include("opportunities.urls")),
    path("", include("planning.urls")),
    path("", include("outcomes.urls")),
    path("", include("integrations.urls")),
    path("", include("delivery.urls")),
    path("", include("organisation.urls")),
    path("", include("portfolio.urls")),
    path("", include("audit.urls")),
    path("", include("rhythm.urls")),
    path("", include("api.urls")),
    path("api/v1/", include("api.v1.urls")),
    path("", include("workspace.urls")),
    path("", include("workspace.team_urls")),
]
