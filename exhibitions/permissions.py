"""What the scoped roles may do with exhibitions/ records (see config/roles.py)."""

BASE_ADMINISTRATOR_PERMISSIONS = [
    "exhibitions.view_educationbase",
    "exhibitions.change_educationbase",
    "exhibitions.view_exhibitionsection",
    "exhibitions.add_exhibitionsection",
    "exhibitions.change_exhibitionsection",
    "exhibitions.delete_exhibitionsection",
]
