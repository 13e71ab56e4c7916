"""Signals branches/ sends to the apps above it, which it must not import.

`meeting_recorded` (keyword `meeting`) is sent once a meeting and its attendance are written
(the admin's add and change pages, the fill-attendance action), once per meeting, never once per
attendance row: visits/ counts a meeting held at a base as a visit from it.
"""

from django.dispatch import Signal

meeting_recorded = Signal()
