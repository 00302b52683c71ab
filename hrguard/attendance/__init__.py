"""Attendance: work calendar, shifts, punch import and the set-based daily/monthly computation."""
