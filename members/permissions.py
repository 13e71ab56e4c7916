"""What the scoped roles may do with members/ records (see core/roles.py).

A branch secretary works on their own organisations' members, dues and care visits; the admin
stops them at that boundary. Deleting is never theirs, and unmasked ID numbers
(members.view_personal_data) only if granted one by one.
"""

SECRETARY_PERMISSIONS = [
    "members.view_member",
    "members.add_member",
    "members.change_member",
    "members.import_member",
    "members.export_member",
    "members.view_memberevent",
    "members.view_duespayment",
    "members.add_duespayment",
    "members.change_duespayment",
    "members.view_carevisit",
    "members.add_carevisit",
    "members.change_carevisit",
]
