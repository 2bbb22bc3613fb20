"""English short dates (en, en-gb): Django's `M` ('Dec') and `D` ('Sun'). See kam/formats."""

# Pages and PDFs: the day unpadded.
SHORT_DATE_FORMAT = "j M Y"  # 6 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y H:i"  # 6 Dec 2026 14:00
SHORT_DATETIME_SECONDS_FORMAT = "j M Y H:i:s"  # 6 Dec 2026 14:00:05
SHORT_DATE_COMMA_TIME_FORMAT = "j M Y, H:i"  # 6 Dec 2026, 14:00
MONTH_DAY_FORMAT = "j M"  # 6 Dec
MONTH_DAY_TIME_FORMAT = "j M H:i"  # 6 Dec 14:00
YEAR_MONTH_FORMAT = "M Y"  # Dec 2026
WEEKDAY_DATE_COMMA_TIME_FORMAT = "D j M Y, H:i"  # Sun 6 Dec 2026, 14:00
WEEKDAY_MONTH_DAY_TIME_FORMAT = "D j M H:i"  # Sun 6 Dec 14:00
WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT = "D j M, H:i"  # Sun 6 Dec, 14:00

# E-mails, notifications and messages written in code: the day on two digits.
PADDED_DATE_FORMAT = "d M Y"  # 06 Dec 2026
PADDED_DATE_COMMA_TIME_FORMAT = "d M Y, H:i"  # 06 Dec 2026, 14:00
PADDED_MONTH_DAY_FORMAT = "d M"  # 06 Dec
PADDED_WEEKDAY_MONTH_DAY_FORMAT = "D d M"  # Sun 06 Dec
PADDED_WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT = "D d M, H:i"  # Sun 06 Dec, 14:00
PADDED_WEEKDAY_DATE_COMMA_TIME_FORMAT = "D d M Y, H:i"  # Sun 06 Dec 2026, 14:00
