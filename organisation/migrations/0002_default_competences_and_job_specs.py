from django.db import migrations

from organisation.defaults import COMPETENCES, JOB_SPECS


def create_defaults(apps, schema_editor):
    Competence = apps.get_model("organisation", "Competence")
    JobSpecification = apps.get_model("organisation", "JobSpecification")
    for position, (code, name, description) in enumerate(COMPETENCES):
        Competence.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "position": position},
        )
    for role, texts in JOB_SPECS.items():
        JobSpecification.objects.get_or_create(role=role, defaults=texts)


def remove_defaults(apps, schema_editor):
    apps.get_model("organisation", "JobSpecification").objects.filter(
        role__in=list(JOB_SPECS)
    ).delete()
    apps.get_model("organisation", "Competence").objects.filter(
        code__in=[code for code, _, _ in COMPETENCES], scores__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
