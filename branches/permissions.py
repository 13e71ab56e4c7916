"""What the scoped roles may do with branches/ records (see config/roles.py)."""

SECRETARY_PERMISSIONS = [
    "branches.view_unit",
    "branches.view_organisation",
    "branches.view_meeting",
    "branches.add_meeting",
    "branches.change_meeting",
]

BASE_ADMINISTRATOR_PERMISSIONS = [
    "branches.view_organisation",
]
