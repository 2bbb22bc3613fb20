from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.dashboard, name="dashboard"),
    path("portfolio/health.csv", views.health_csv, name="health_csv"),
    path("portfolio/performance.csv", views.performance_csv, name="performance_csv"),
    path("portfolio/targets.csv", views.targets_csv, name="targets_csv"),
    path("portfolio/portfolio.pdf", views.dashboard_pdf, name="dashboard_pdf"),
]
