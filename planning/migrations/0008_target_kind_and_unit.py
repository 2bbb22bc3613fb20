"""Targets get a kind (revenue, net profit, volume, other) and a unit type (an amount of money
in a currency, percent, count or volume, other), so the portfolio sums them without guessing
from their KPI's name. Existing rows are read once, here, and only where the answer is safe:

- a unit such as "EUR", "k EUR", "EUR k", "M EUR a year" or "€" is an amount of money in that
  currency; "k"/"M"/"bn" values (baseline, target and every measurement) become whole units,
  so a "30 k EUR" target is 30,000 EUR, and the unit shown after the KPI keeps the currency
  ("EUR a year");
- a unit with "%" is a percent; a unit from a short list of countable things (SKUs, people,
  tonnes, per month, ...) a count or volume; everything else stays "other";
- an amount whose KPI names revenue, sales or turnover (and no cost, margin or profit) is a
  revenue target, one whose KPI names net or account profit a net profit target, a count in
  tonnes, pallets, units ... or whose KPI names volume a volume target; the rest stay "other"
  for their teams to set in the plan editor.

The rules are written out here, not imported, so the migration keeps meaning what it meant.
"""

import re
from decimal import Decimal

from django.db import migrations, models

CURRENCIES = {"EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "JPY", "CNY",
              "CAD", "AUD"}  # fmt: skip
SIGNS = {"€": "EUR", "£": "GBP", "$": "USD"}
SCALES = {"k": 1000, "K": 1000, "m": 10**6, "M": 10**6, "mn": 10**6, "bn": 10**9}
MONEY = re.compile(
    r"^(?:(?P<pre>k|K|m|M|mn|bn)\s*)?(?P<cur>[A-Z]{3}|€|£|\$)(?:\s*(?P<post>k|K|M|mn|bn)\b)?"
    r"(?:\s+(?P<rest>.+))?$"
)
COUNTS = {"units", "unit", "pieces", "pcs", "tonnes", "tons", "t", "kg", "pallets", "cases",
          "boxes", "litres", "hl", "orders", "lines", "items", "projects", "people", "contacts",
          "hotels", "ports", "lanes", "stores", "sites", "customers", "skus", "sku", "products",
          "deliveries", "trucks", "visits", "meetings", "questions", "per month", "per week",
          "per year", "a month", "a week", "a year"}  # fmt: skip
VOLUMES = {
    "tonnes",
    "tons",
    "t",
    "kg",
    "pallets",
    "cases",
    "units",
    "pieces",
    "pcs",
    "litres",
    "hl",
}
LIMIT = Decimal("999999999999.99")  # the value fields' largest number


def read_unit(kpi: str, unit: str) -> dict | None:
    """What a target's free-text unit and KPI safely say: its measure, currency, the scale of
    its values, the unit text to keep and its kind; None when nothing is safe to say."""
    unit = (unit or "").strip()
    words = (kpi or "").lower()
    if "%" in unit:
        return {"measure": "percent", "kind": "other", "scale": 1, "unit": unit, "currency": ""}
    money = MONEY.match(unit)
    if money:
        code = SIGNS.get(money["cur"], money["cur"])
        if code not in CURRENCIES or (money["pre"] and money["post"]):
            return None
        kind = "other"
        if re.search(r"\b(revenue|sales|turnover)\b", words) and not re.search(
            r"cost|margin|profit", words
        ):
            kind = "revenue"
        elif re.search(r"\b(net|account)\b.*\bprofit\b", words) and "gross" not in words:
            kind = "net_profit"
        rest = money["rest"] or ""
        return {
            "measure": "amount",
            "currency": code,
            "scale": SCALES.get(money["pre"] or money["post"] or "", 1),
            "unit": f"{code} {rest}".strip(),
            "kind": kind,
        }
    if unit.lower() in COUNTS:
        volume = unit.lower() in VOLUMES or re.search(r"\bvolumes?\b", words)
        return {
            "measure": "count",
            "kind": "volume" if volume else "other",
            "scale": 1,
            "unit": unit,
            "currency": "",
        }
    return None


def infer(apps, schema_editor):
    Target = apps.get_model("planning", "Target")
    Measurement = apps.get_model("planning", "Measurement")
    for target in Target.objects.all().iterator():
        found = read_unit(target.kpi, target.unit)
        if found is None:
            continue
        scale = Decimal(found["scale"])
        actuals = list(Measurement.objects.filter(target=target).values_list("pk", "actual"))
        values = [target.baseline, target.target_value, *(a for _, a in actuals)]
        if any(abs(v * scale) > LIMIT for v in values):
            continue  # would not fit the field: left for the team to set
        if scale != 1:
            for pk, actual in actuals:
                Measurement.objects.filter(pk=pk).update(actual=actual * scale)
        Target.objects.filter(pk=target.pk).update(
            measure=found["measure"],
            kind=found["kind"],
            currency=found["currency"],
            unit=found["unit"],
            baseline=target.baseline * scale,
            target_value=target.target_value * scale,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0007_classify_plan_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltarget",
            name="currency",
            field=models.CharField(
                blank=True, help_text="For an amount of money: e.g. EUR. Whole units.", max_length=3
            ),
        ),
        migrations.AddField(
            model_name="historicaltarget",
            name="kind",
            field=models.CharField(
                choices=[
                    ("revenue", "Revenue"),
                    ("net_profit", "Net profit"),
                    ("volume", "Volume"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="historicaltarget",
            name="measure",
            field=models.CharField(
                choices=[
                    ("amount", "Amount of money"),
                    ("percent", "Percent"),
                    ("count", "Count or volume"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=16,
                verbose_name="Unit type",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="currency",
            field=models.CharField(
                blank=True, help_text="For an amount of money: e.g. EUR. Whole units.", max_length=3
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="kind",
            field=models.CharField(
                choices=[
                    ("revenue", "Revenue"),
                    ("net_profit", "Net profit"),
                    ("volume", "Volume"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="measure",
            field=models.CharField(
                choices=[
                    ("amount", "Amount of money"),
                    ("percent", "Percent"),
                    ("count", "Count or volume"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=16,
                verbose_name="Unit type",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltarget",
            name="unit",
            field=models.CharField(
                blank=True,
                help_text="As shown after the KPI, e.g. SKUs or per month.",
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="unit",
            field=models.CharField(
                blank=True,
                help_text="As shown after the KPI, e.g. SKUs or per month.",
                max_length=30,
            ),
        ),
        migrations.RunPython(infer, migrations.RunPython.noop),
    ]
