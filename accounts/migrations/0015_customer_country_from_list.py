"""A customer's country becomes an ISO code, step 2 of 2: the code takes the text's place."""

import django_countries.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_customer_country_code")]

    operations = [
        migrations.RemoveField(model_name="customer", name="country"),
        migrations.RemoveField(model_name="historicalcustomer", name="country"),
        migrations.RenameField(model_name="customer", old_name="country_code", new_name="country"),
        migrations.RenameField(
            model_name="historicalcustomer", old_name="country_code", new_name="country"
        ),
        migrations.AlterField(
            model_name="customer",
            name="country",
            field=django_countries.fields.CountryField(
                blank=True, max_length=2, verbose_name="Country"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcustomer",
            name="country",
            field=django_countries.fields.CountryField(
                blank=True, max_length=2, verbose_name="Country"
            ),
        ),
    ]
