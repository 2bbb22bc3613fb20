"""A customer's country becomes an ISO code (django-countries), step 1 of 2: a new column,
filled from the typed text. Text that names no country (accounts.countries) is not lost: it
goes into the customer's notes, and the country is left empty."""

import django_countries.fields
from django.db import migrations


def fill(apps, schema_editor):
    from accounts.countries import country_code

    Customer = apps.get_model("accounts", "Customer")
    for customer in Customer.objects.exclude(country="").only("pk", "country", "notes"):
        code = country_code(customer.country)
        if code is None:
            note = f"Country as typed before the country list: {customer.country}"
            customer.notes = f"{customer.notes}\n\n{note}" if customer.notes else note
            Customer.objects.filter(pk=customer.pk).update(notes=customer.notes)
        else:
            Customer.objects.filter(pk=customer.pk).update(country_code=code)
    History = apps.get_model("accounts", "HistoricalCustomer")
    for text in History.objects.exclude(country="").values_list("country", flat=True).distinct():
        History.objects.filter(country=text).update(country_code=country_code(text) or "")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0013_event_text_in_every_language")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="country_code",
            field=django_countries.fields.CountryField(blank=True, max_length=2),
        ),
        migrations.AddField(
            model_name="historicalcustomer",
            name="country_code",
            field=django_countries.fields.CountryField(blank=True, max_length=2),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
