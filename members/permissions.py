"""What the scoped roles may do with members/ records (see config/roles.py)."""

SECRETARY_PERMISSIONS = [
    "members.view_member",
    "members.add_member",
    "members.change_member",
    "members.import_member",
    "members.export_member",
]
