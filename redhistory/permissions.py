"""What the scoped roles may do with redhistory/ records (see core/roles.py)."""

BASE_ADMINISTRATOR_PERMISSIONS = [
    "redhistory.view_artefact",
]
