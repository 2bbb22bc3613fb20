from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("integrations/", views.index, name="index"),
    path("integrations/webhooks/add/", views.webhook_add, name="webhook_add"),
    path("integrations/webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("integrations/webhooks/<int:pk>/edit/", views.webhook_edit, name="webhook_edit"),
    path("integrations/webhooks/<int:pk>/secret/", views.webhook_rotate, name="webhook_rotate"),
    path(
        "integrations/deliveries/<uuid:pk>/resend/",
        views.delivery_resend,
        name="delivery_resend",
    ),
    path("integrations/import/", views.import_start, name="import_start"),
    path("integrations/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("integrations/imports/<int:pk>/apply/", views.import_confirm, name="import_confirm"),
    path(
        "integrations/imports/<int:pk>/failed.csv",
        views.import_failed_rows,
        name="import_failed_rows",
    ),
    path(
        "integrations/export/<str:source>/<str:object_type>.csv",
        views.export,
        name="export",
    ),
]
