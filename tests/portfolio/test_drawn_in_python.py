"""The performance rows and the matrix marks are drawn in Python (portfolio_tags,
bench/README.md finding 37): byte for byte what the template loops they replace drew, for
rows and marks the demo data lacks (a loss, no target, no change, a fall, markup in a name),
in English and in French."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from portfolio.templatetags.portfolio_tags import matrix_marks, performance_rows

OLD_ROWS = Template(
    "{% load i18n kam_tags %}{% for a in rows %}\n"
    "      <tr><td><a href=\"{% url 'discovery:profitability' a.pk %}\">{{ a.name }}</a></td>\n"
    '        <td class="text-end">{{ a.sales_now|money:currency }}</td><td class="text-end">'
    '{{ a.sales_before|money:currency }}</td><td class="text-end">{% if a.sales_change is not '
    "None %}{{ a.sales_change|signed }} %{% else %}—{% endif %}"
    "</td>\n"
    '        <td class="text-end">{% if a.revenue_target is not None %}{{ a.revenue_target|'
    'money:a.revenue_target_currency }}{% else %}<span class="text-body-secondary">{% translate '
    '"no target" %}</span>{% endif %}</td>\n'
    '        <td class="text-end{% if a.profit_now < 0 %} text-overdue{% endif %}">'
    '{{ a.profit_now|money:currency }}</td><td class="text-end">{{ a.profit_before|money:'
    'currency }}</td><td class="text-end">{% if a.profit_change is not None %}'
    "{{ a.profit_change|signed }} %{% else %}—{% endif %}</td>\n"
    '        <td class="text-end">{% if a.profit_target is not None %}{{ a.profit_target|money:'
    'a.profit_target_currency }}{% else %}<span class="text-body-secondary">{% translate "no '
    'target" %}</span>{% endif %}</td></tr>\n    {% endfor %}'
)

OLD_MARKS = Template(
    "{% load l10n portfolio_tags %}{% localize off %}{% for p in matrix.points %}\n"
    '  <a href="{{ p.account.get_absolute_url }}" text-decoration="none">\n'
    '    <circle cx="{{ p.x }}" cy="{{ p.y }}" r="{{ p.r }}" fill="{{ p.colour }}" '
    'fill-opacity="0.9" stroke="{% if p.loss %}#212529{% else %}#fff{% endif %}" '
    'stroke-width="2"{% if p.loss %} stroke-dasharray="3 2"{% endif %}><title>'
    "{% matrix_mark_title p matrix.bubble currency %}</title></circle>\n"
    '    <text x="{{ p.x }}" y="{{ p.y }}" font-size="11" font-weight="bold" '
    'text-anchor="middle" dominant-baseline="central" fill="#fff">{{ p.number }}</text>\n'
    "  </a>\n  {% endfor %}{% endlocalize %}"
)


def _row(pk, name, **figures):
    values = {
        "sales_now": None,
        "sales_before": None,
        "sales_change": None,
        "revenue_target": None,
        "revenue_target_currency": "EUR",
        "profit_now": None,
        "profit_before": None,
        "profit_change": None,
        "profit_target": None,
        "profit_target_currency": "EUR",
    }
    values.update(figures)
    return SimpleNamespace(pk=pk, name=name, **values)


ROWS = [
    _row(
        1,
        "Alpha & <Sons>",
        sales_now=Decimal("1234567.80"),
        sales_before=Decimal("1000000"),
        sales_change=Decimal("23.5"),
        revenue_target=Decimal("1500000"),
        revenue_target_currency="GBP",
        profit_now=Decimal("-2500.40"),
        profit_before=Decimal("1200"),
        profit_change=Decimal("-308.4"),
        profit_target=Decimal("5000"),
    ),
    _row(22, "Beta", sales_now=Decimal("0"), sales_before=Decimal("0"), profit_now=Decimal("0")),
    _row(333, "Gamma"),
]


def _point(number, *, loss, score):
    account = SimpleNamespace(
        pk=number,
        name=f"Account {number} <b>",
        get_absolute_url=lambda: f"/accounts/{number}/",
        customer=SimpleNamespace(
            attractiveness_score=Decimal("72.5"), strength_score=Decimal("40.25")
        ),
        latest_profit_year=2024,
    )
    return {
        "account": account,
        "number": number,
        "x": 120.5 + number,
        "y": 88.25,
        "r": 9 + number,
        "colour": "#dc3545",
        "loss": loss,
        "value": Decimal("-1500.5") if loss else Decimal("250000"),
        "class_label": "Strategic",
        "score": score,
    }


MATRIX = {
    "points": [_point(1, loss=True, score=None), _point(2, loss=False, score=64)],
    "bubble": "profit",
}


@pytest.mark.parametrize("language", ["en-gb", "fr"])
def test_performance_rows_are_the_template_loops_rows(language):
    with translation.override(language):
        old = OLD_ROWS.render(Context({"rows": ROWS, "currency": "EUR"}))
        assert performance_rows(ROWS, "EUR") == old
    assert "text-overdue" in old and "text-body-secondary" in old


@pytest.mark.parametrize("language", ["en-gb", "fr"])
@pytest.mark.parametrize("bubble", ["profit", "revenue"])
def test_matrix_marks_are_the_template_loops_marks(language, bubble):
    matrix = {**MATRIX, "bubble": bubble}
    with translation.override(language):
        old = OLD_MARKS.render(Context({"matrix": matrix, "currency": "EUR"}))
        assert matrix_marks(matrix, "EUR") == old
    assert 'stroke-dasharray="3 2"' in old and "&lt;b&gt;" in old


def test_an_empty_list_draws_nothing():
    assert performance_rows([], "EUR") == ""
    assert matrix_marks({"points": [], "bubble": "revenue"}, "EUR") == ""
