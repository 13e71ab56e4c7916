"""What the scoped roles may do with branches/ records (see core/roles.py).

A secretary keeps their organisations' organisational life (meetings, attendance, photos,
exemptions from attendance) and reads their terms, activity rooms and honours; bureau staff
record elections, ratings and honours.
"""

SECRETARY_PERMISSIONS = [
    "branches.view_unit",
    "branches.view_organisation",
    "branches.view_term",
    "branches.view_termpost",
    "branches.view_activityroom",
    "branches.view_roomrating",
    "branches.view_honour",
    "branches.view_meeting",
    "branches.add_meeting",
    "branches.change_meeting",
    "branches.export_meeting",
    "branches.view_meetingattendance",
    "branches.add_meetingattendance",
    "branches.change_meetingattendance",
    "branches.delete_meetingattendance",
    "branches.view_meetingphoto",
    "branches.add_meetingphoto",
    "branches.change_meetingphoto",
    "branches.delete_meetingphoto",
    "branches.view_attendanceexemption",
    "branches.add_attendanceexemption",
    "branches.change_attendanceexemption",
]

BASE_ADMINISTRATOR_PERMISSIONS = [
    "branches.view_organisation",
]
