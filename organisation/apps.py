from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Programme organisation: teams, skills, mentoring, handbook"
