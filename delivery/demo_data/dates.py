"""Demo meeting dates fall on working days."""

from datetime import timedelta


def workday(today, offset: int):
    """today + offset days, moved off the weekend: back to Friday in the past, on to Monday
    in the future (nobody meets a customer on a Sunday)."""
    day = today + timedelta(days=offset)
    if day.weekday() >= 5:
        day += (
            timedelta(days=4 - day.weekday()) if offset < 0 else timedelta(days=7 - day.weekday())
        )
    return day
