"""What the scoped roles may do with exhibitions/ records (see core/roles.py).

A base administrator edits their own bases (never adds one or assigns administrators: the
admin makes those fields read-only), their sections, images and milestones, and exports them.
"""

BASE_ADMINISTRATOR_PERMISSIONS = [
    "exhibitions.view_educationbase",
    "exhibitions.change_educationbase",
    "exhibitions.export_educationbase",
    "exhibitions.view_exhibitionsection",
    "exhibitions.add_exhibitionsection",
    "exhibitions.change_exhibitionsection",
    "exhibitions.delete_exhibitionsection",
    "exhibitions.view_baseimage",
    "exhibitions.add_baseimage",
    "exhibitions.change_baseimage",
    "exhibitions.delete_baseimage",
    "exhibitions.view_sectionimage",
    "exhibitions.add_sectionimage",
    "exhibitions.change_sectionimage",
    "exhibitions.delete_sectionimage",
    "exhibitions.view_constructionmilestone",
    "exhibitions.add_constructionmilestone",
    "exhibitions.change_constructionmilestone",
    "exhibitions.view_activity",
]
