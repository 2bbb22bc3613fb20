"""French short dates: `N` for the month ('déc.', 'août', 'juin', 'juil.', 'sept.', 'janv.',
'févr.') and `D.` for the weekday ('dim.'), lower case as French writes them. See kam/formats."""

# Pages and PDFs: the day unpadded.
SHORT_DATE_FORMAT = "j N Y"  # 6 déc. 2026
SHORT_DATETIME_FORMAT = "j N Y H:i"  # 6 déc. 2026 14:00
SHORT_DATETIME_SECONDS_FORMAT = "j N Y H:i:s"  # 6 déc. 2026 14:00:05
SHORT_DATE_COMMA_TIME_FORMAT = "j N Y, H:i"  # 6 déc. 2026, 14:00
MONTH_DAY_FORMAT = "j N"  # 6 déc.
MONTH_DAY_TIME_FORMAT = "j N H:i"  # 6 déc. 14:00
YEAR_MONTH_FORMAT = "N Y"  # déc. 2026
WEEKDAY_DATE_COMMA_TIME_FORMAT = "D. j N Y, H:i"  # dim. 6 déc. 2026, 14:00
WEEKDAY_MONTH_DAY_TIME_FORMAT = "D. j N H:i"  # dim. 6 déc. 14:00
WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT = "D. j N, H:i"  # dim. 6 déc., 14:00

# E-mails, notifications and messages written in code: the day on two digits.
PADDED_DATE_FORMAT = "d N Y"  # 06 déc. 2026
PADDED_DATE_COMMA_TIME_FORMAT = "d N Y, H:i"  # 06 déc. 2026, 14:00
PADDED_MONTH_DAY_FORMAT = "d N"  # 06 déc.
PADDED_WEEKDAY_MONTH_DAY_FORMAT = "D. d N"  # dim. 06 déc.
PADDED_WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT = "D. d N, H:i"  # dim. 06 déc., 14:00
PADDED_WEEKDAY_DATE_COMMA_TIME_FORMAT = "D. d N Y, H:i"  # dim. 06 déc. 2026, 14:00
