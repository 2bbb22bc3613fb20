"""How each language writes a date in short (`FORMAT_MODULE_PATH`): one module per language,
`kam/formats/<language>/formats.py`, read by Django before its own locale formats.

Every short date a person reads is written by name, never by pattern:
`{{ value|date:"SHORT_DATE_FORMAT" }}` in a template,
`django.utils.formats.date_format(value, "SHORT_DATE_FORMAT")` in code. Django's
`get_format` looks a name up in these modules, its own names (`SHORT_DATE_FORMAT`,
`SHORT_DATETIME_FORMAT`, `MONTH_DAY_FORMAT`, `YEAR_MONTH_FORMAT`) and ours alike, so one
module per language says how all of them read:

    en: 6 Dec 2026 · Sun 6 Dec, 14:00      (M: 'Dec', D: 'Sun')
    fr: 6 déc. 2026 · dim. 6 déc., 14:00   (N: 'déc.', 'D.': 'dim.')

Django's `M` is the three-letter abbreviation title-cased ('Déc', 'Aoû', 'Fév' in French);
French writes its abbreviations lower case with a full stop where letters were left out:
`N` (Django's "abbrev. month" catalogue: 'déc.', 'août', 'juin', 'juil.', 'sept.'; our
catalogue adds 'janv.' and 'févr.', see `common.formats.MONTHS_ABBREVIATED`) and `D.` ('dim.').
A language with no module here has no names of ours: `tests/common/test_date_formats.py` fails
until it gets one.
"""

# The names of ours beside Django's four; every language's module defines all of them.
NAMES = (
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATETIME_SECONDS_FORMAT",
    "SHORT_DATE_COMMA_TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "MONTH_DAY_TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "WEEKDAY_DATE_COMMA_TIME_FORMAT",
    "WEEKDAY_MONTH_DAY_TIME_FORMAT",
    "WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT",
    "PADDED_DATE_FORMAT",
    "PADDED_DATE_COMMA_TIME_FORMAT",
    "PADDED_MONTH_DAY_FORMAT",
    "PADDED_WEEKDAY_MONTH_DAY_FORMAT",
    "PADDED_WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT",
    "PADDED_WEEKDAY_DATE_COMMA_TIME_FORMAT",
)
