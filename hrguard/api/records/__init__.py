"""REST API of the record apps (attendance, leave, expenses, performance, discipline), mounted under
/api/v1/activity/ (DRF, documented with drf-spectacular)."""
