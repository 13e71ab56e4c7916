"""What the scoped roles may do with visits/ records (see core/roles.py)."""

BASE_ADMINISTRATOR_PERMISSIONS = [
    "visits.view_visit",
    "visits.add_visit",
    "visits.change_visit",
    "visits.import_visit",
    "visits.export_visit",
    "visits.view_statistics",
    "visits.view_booking",
    "visits.add_booking",
    "visits.change_booking",
    "visits.view_closure",
    "visits.add_closure",
    "visits.change_closure",
    "visits.delete_closure",
]
