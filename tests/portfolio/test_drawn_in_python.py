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


def _target_cell(kind: str, what: str) -> str:
    """The reference template of a target cell: the target and its year, then what that year
    brought (or that nothing is recorded for it yet, or another currency)."""
    cell = (
        '        <td class="text-end portfolio-target">{% if a.K_target is not None %}'
        '<span class="text-nowrap">'
        "{% blocktranslate with target=a.K_target|money:a.K_target_currency "
        "year=a.K_target_year %}{{ target }} for {{ year }}{% endblocktranslate %}</span><br>"
        '<span class="text-body-secondary">{% if a.K_target_currency != currency %}'
        '{% translate "not compared: another currency" %}{% elif a.K_target_made is None %}'
        "{% blocktranslate with year=a.K_target_year %}no {{ year }} WHAT recorded yet"
        "{% endblocktranslate %}{% else %}{% with made=a.K_target_made|money:currency %}"
        "{% with made='<span class=\"text-nowrap\">'|add:made|add:'</span>' %}"
        "{% blocktranslate with made=made|safe year=a.K_target_year %}{{ made }} in {{ year }}"
        "{% endblocktranslate %}{% endwith %}{% endwith %}{% if a.K_reached is not None %} "
        '<span class="text-nowrap">{% blocktranslate with percent=a.K_reached %}'
        "({{ percent }} % reached){% endblocktranslate %}</span>{% endif %}{% endif %}</span>"
        '{% else %}<span class="text-body-secondary">{% translate "no target" %}</span>'
        "{% endif %}</td>"
    )
    return cell.replace("K_", f"{kind}_").replace("WHAT", what)


OLD_ROWS = Template(
    "{% load i18n kam_tags %}{% for a in rows %}\n"
    "      <tr><td><a href=\"{% url 'discovery:profitability' a.pk %}\">{{ a.name }}</a></td>\n"
    '        <td class="text-end">{{ a.sales_now|money:currency }}</td><td class="text-end">'
    '{{ a.sales_before|money:currency }}</td><td class="text-end">{% if a.sales_change is not '
    "None %}{{ a.sales_change|signed }} %{% else %}—{% endif %}"
    "</td>\n" + _target_cell("revenue", "revenue") + "\n"
    '        <td class="text-end{% if a.profit_now < 0 %} text-overdue{% endif %}">'
    '{{ a.profit_now|money:currency }}</td><td class="text-end">{{ a.profit_before|money:'
    'currency }}</td><td class="text-end">{% if a.profit_change is not None %}'
    "{{ a.profit_change|signed }} %{% else %}—{% endif %}</td>\n"
    + _target_cell("profit", "net profit")
    + "</tr>\n    {% endfor %}"
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
        "revenue_target_year": None,
        "revenue_target_made": None,
        "revenue_reached": None,  # the reference template's, worked out by hand
        "profit_now": None,
        "profit_before": None,
        "profit_change": None,
        "profit_target": None,
        "profit_target_currency": "EUR",
        "profit_target_year": None,
        "profit_target_made": None,
        "profit_reached": None,
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
        revenue_target_currency="GBP",  # not compared: the figures are in euros
        revenue_target_year=2026,
        revenue_target_made=Decimal("1234567.80"),
        profit_now=Decimal("-2500.40"),
        profit_before=Decimal("1200"),
        profit_change=Decimal("-308.4"),
        profit_target=Decimal("5000"),
        profit_target_year=2026,
        profit_target_made=Decimal("-2500.40"),  # a loss: no share of the target
    ),
    _row(
        22,
        "Beta",
        sales_now=Decimal("0"),
        sales_before=Decimal("0"),
        profit_now=Decimal("0"),
        revenue_target=Decimal("2000000"),
        revenue_target_year=2025,
        revenue_target_made=Decimal("1234567.80"),
        revenue_reached=Decimal("61.7"),  # 1,234,567.80 ÷ 2,000,000 = 61.73 %
    ),
    _row(
        333,
        "Gamma",
        profit_target=Decimal("100"),
        profit_target_year=2027,  # nothing recorded for 2027
    ),
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
