"""Numbers and money as the reader's language writes them (Django's locale formats:
`django/conf/locale/<lang>/formats.py`). One home for the `money` and `unit_price` filters
(kam/templatetags/kam_tags.py) and the charts' axis labels (common/charts.py):

    en-gb: EUR 1,234,568 · 1,234.50 · 2.5 bn
    fr:    1 234 568 € · 1 234,50 · 2,5 Md

The amounts are grouped whatever USE_THOUSAND_SEPARATOR says (force_grouping): a sum of money
is always easier to read grouped.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.translation import gettext, pgettext, pgettext_lazy

# Short dates are named formats, one module per language (kam/formats). French months are
# Django's `N` ("abbrev. month"), whose French catalogue says 'jan.' and 'fév.' where French
# (CLDR) writes 'janv.' and 'févr.': marked here so that our catalogue, looked up before
# Django's, keeps the two. The other ten are Django's as they are ('mars', 'avr.', 'mai',
# 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.').
MONTHS_ABBREVIATED = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
)

# Currencies that French writes with their sign after the amount; others keep their ISO code.
SIGNS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}


# A negative number on a page or a PDF is written with the minus sign, not the hyphen that
# Python and Django write ("−5 %", not "-5 %"; a line break never falls after it). CSV cells
# keep Python's plain "-5": a spreadsheet reads that as a number (common.csv_export).
MINUS = "\u2212"


def number(value, decimal_pos: int | None = None) -> str:
    """`value` with the active language's decimal and grouping separators, a negative one
    with the minus sign: -1234.5 -> '−1,234.5' (en-gb), '−1 234,5' (fr)."""
    text = formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)
    if not text.startswith("-"):
        return text
    digits = text[1:]
    # -0.4 to no decimals is "-0": no sign on a zero.
    return digits if not digits.strip("0.,\u00a0\u202f ") else MINUS + digits


def signed(value, decimal_pos: int | None = None) -> str:
    """A change, its sign always written: '+5', '−3' (the minus sign), '0' (fr: '+2,5')."""
    text = number(value, decimal_pos)
    if text.startswith(MINUS) or not text.strip("0.,\u00a0\u202f "):
        return text
    return f"+{text}"


def _sign_after() -> bool:
    # Continental languages write "1 234 €"; English writes the currency first.
    return not (translation.get_language() or "en").startswith("en")


def money(value, currency: str = "EUR") -> str:
    """A sum in whole units: 1234567.8 -> 'EUR 1,234,568' (en-gb), '1 234 568 €' (fr).
    Rounded half up, in Decimal, as every figure on the pages (`half_up`): Python's round()
    rounds halves to even, so 62,500.50 read 'EUR 62,500' and 62,501.50 'EUR 62,502'."""
    if value is None or value == "":
        return "—"
    try:
        amount = half_up(value)
    except (ArithmeticError, TypeError, ValueError):
        return str(value)
    sign = MINUS if amount < 0 else ""
    digits = number(abs(amount), 0)
    if _sign_after():
        return f"{sign}{digits}\u00a0{SIGNS.get(currency, currency)}"
    return f"{sign}{currency} {digits}"


def money_cents(value, currency: str = "EUR") -> str:
    """A sum to the cent, where a reader checks the arithmetic (the lifetime value's table):
    1234567.8 -> 'EUR 1,234,567.80' (en-gb), '1 234 567,80 €' (fr); rounded half up, in
    Decimal (a float would lose the cents of a large sum)."""
    if value is None or value == "":
        return "—"
    try:
        amount = half_up(Decimal(value), 2)
    except (ArithmeticError, TypeError, ValueError):
        return str(value)
    sign = MINUS if amount < 0 else ""
    digits = number(abs(amount), 2)
    if _sign_after():
        return f"{sign}{digits}\u00a0{SIGNS.get(currency, currency)}"
    return f"{sign}{currency} {digits}"


def percent(value) -> str:
    """A share as stored (32.0 -> '32.0 %', fr '32,0 %'), the minus sign on a negative one;
    empty -> '—'."""
    if value is None or value == "":
        return "—"
    return f"{number(value)} %"


def half_up(value, places: int = 0) -> Decimal:
    """`value` rounded to `places` decimals as the pages round it (Django's `floatformat`):
    halves away from zero, from the number's decimal digits. Python's round() and format()
    round halves to even (round(62.5) is 62, f"{3.25:.1f}" is "3.2") where the page shows 63
    and 3.3, so an export or a text that used them disagreed with the page at every tie."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def unit_price(value) -> str:
    """A price per unit: at least 2 and at most 4 decimals (12.5 -> '12.50', 0.4375 ->
    '0.4375', 1234 -> '1,234.00'; in French '1 234,00'); empty -> '—'."""
    if value is None or value == "":
        return "—"
    places = 4
    exact = Decimal(value).quantize(Decimal("0.0001"))
    for _ in range(2):
        if exact == exact.quantize(Decimal(1).scaleb(-(places - 1))):
            places -= 1
    return number(exact, places)


def quantity(value) -> str:
    """A count of units with the decimals it has and no more, grouped: 5200.00 -> '5,200',
    2.50 -> '2.5' (fr '5 200', '2,5'); empty -> '—'."""
    if value is None or value == "":
        return "—"
    exact = Decimal(str(value)).normalize()
    return number(exact, max(0, -exact.as_tuple().exponent))


def compact(value: float | Decimal) -> str:
    """An axis or bar label of a sum of money: 2.5 bn, 14.6 M, 250 k (fr: 2,5 Md, 14,6 M).
    Rounded halves up, as every figure on the pages (half_up): a cost to serve of 640,500
    read "640 k" (round() rounds halves to even), and 999,600 read "1,000 k", not "1 M"."""
    sign = MINUS if value < 0 else ""
    amount = abs(Decimal(str(value)))
    units = (
        (Decimal(1), "", 0),
        (Decimal(1_000), pgettext("thousands, short", "k"), 0),
        (Decimal(1_000_000), pgettext("millions, short", "M"), 1),
        # "1000014.5 M" was too long for the chart's axis
        (Decimal(1_000_000_000), pgettext("billions, short", "bn"), 1),
    )
    index = max(i for i, (size, _unit, _places) in enumerate(units) if i == 0 or amount >= size)
    rounded = half_up(amount / units[index][0], units[index][2])
    if rounded >= 1000 and index + 1 < len(units):  # 999,600 is "1 M", not "1,000 k"
        index += 1
        rounded = half_up(amount / units[index][0], units[index][2])
    places = 0 if rounded == rounded.to_integral_value() else 1
    unit = units[index][1]
    return f"{sign}{number(rounded, places)}{' ' + unit if unit else ''}"


# ---- punctuation between parts -------------------------------------------------------------
# French puts a no-break space before ":" and ";" (README, glossary). Text joined in code goes
# through these two, the same messages as the templates' {% colon %} and {% list_separator %}.


def labelled(name, value) -> str:
    """'Name: value' as the reader's language writes it ('Name : value' in French)."""
    return gettext("%(name)s: %(value)s") % {"name": name, "value": value}


def listed(items) -> str:
    """Items joined by the reader's language's list separator ('a; b', French 'a ; b')."""
    return pgettext("list separator", "; ").join(str(item) for item in items)
