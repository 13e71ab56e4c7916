"""Calendar arithmetic the bureau's rules are written in: terms of three years, probation of one,
reminders six months ahead."""

import datetime


def add_years(day, years):
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    """The same day `months` later, or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def years_between(start, end):
    """Whole years from `start` to `end` (an age, a Party standing)."""
    if start is None or end is None or end < start:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))
