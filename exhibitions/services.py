"""Writes for exhibitions/: keyword-only, atomic, validated before they are saved."""

from .models import Activity


def activities_ensure():
    """The six activities, created if missing (a flushed test database has lost the seed)."""
    activities = {}
    for order, code in enumerate(Activity.Code.values, start=1):
        activities[code], _created = Activity.objects.get_or_create(
            code=code, defaults={"order": order}
        )
    return activities
