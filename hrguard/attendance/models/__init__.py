"""Models of the attendance app: shifts, punch device profiles and imports, punches, daily status and the
work calendar. One module per topic; all exported here for Django."""

from .attendance import (
    AttendanceDay,
    DayStatus,
    Punch,
    PunchDeviceProfile,
    PunchImport,
    Shift,
    ShiftAssignment,
)
from .calendar import CalendarSource, DayKind, WorkCalendarDay

__all__ = [
    "AttendanceDay",
    "CalendarSource",
    "DayKind",
    "DayStatus",
    "Punch",
    "PunchDeviceProfile",
    "PunchImport",
    "Shift",
    "ShiftAssignment",
    "WorkCalendarDay",
]
