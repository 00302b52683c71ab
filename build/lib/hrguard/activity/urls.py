from django.urls import path

from .views import attendance, discipline, expenses, leave, performance

app_name = "activity"

urlpatterns = [
    # Attendance (考勤)
    path("attendance/", attendance.daily, name="attendance_daily"),
    path("attendance/monthly/", attendance.monthly, name="attendance_monthly"),
    path("attendance/import/", attendance.import_punches, name="attendance_import"),
    path("attendance/profiles/new/", attendance.profile_create, name="profile_create"),
    path("attendance/shifts/", attendance.shift_list, name="shift_list"),
    path("attendance/calendar/", attendance.calendar_page, name="calendar"),
    path("attendance/export/days.xlsx", attendance.export_days, name="attendance_export_days"),
    path("attendance/export/monthly.xlsx", attendance.export_monthly, name="attendance_export_monthly"),
    # Leave (假勤)
    path("leave/", leave.my_leave, name="my_leave"),
    path("leave/approvals/", leave.approvals, name="leave_approvals"),
    path("leave/<int:pk>/decide/", leave.decide, name="leave_decide"),
    path("leave/<int:pk>/cancel/", leave.cancel, name="leave_cancel"),
    path("leave/all/", leave.leave_list, name="leave_list"),
    path("leave/export.xlsx", leave.export, name="leave_export"),
    # Expenses and travel (出差 / 报销 / 借款)
    path("expenses/", expenses.mine, name="my_expenses"),
    path("expenses/approvals/", expenses.approvals, name="expense_approvals"),
    path("expenses/<str:kind>/<int:pk>/decide/", expenses.decide, name="expense_decide"),
    path("expenses/finance/", expenses.finance, name="finance"),
    path("expenses/advances/<int:pk>/repay/", expenses.repay, name="advance_repay"),
    path("expenses/export/<str:kind>.xlsx", expenses.export, name="expense_export"),
    # Performance (绩效)
    path("performance/", performance.cycles, name="cycles"),
    path("performance/cycles/<int:pk>/", performance.cycle_detail, name="cycle_detail"),
    path("performance/cycles/<int:pk>/employees/<int:employee_pk>/", performance.review, name="review"),
    path("performance/cycles/<int:pk>/export.xlsx", performance.export, name="cycle_export"),
    path("performance/plans/export.xlsx", performance.export_plans, name="plan_export"),
    path("performance/plans/new/<int:employee_pk>/", performance.plan_create, name="plan_create"),
    path("performance/plans/<int:pk>/close/", performance.plan_close, name="plan_close"),
    # Violations and client complaints (违纪 / 客户投诉)
    path("violations/", discipline.violation_list, name="violation_list"),
    path("violations/new/", discipline.violation_create, name="violation_create"),
    path("violations/<int:pk>/", discipline.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/<str:step>/", discipline.violation_action, name="violation_action"),
    path("violations/export.xlsx", discipline.export_violations, name="violation_export"),
    path("complaints/", discipline.complaint_list, name="complaint_list"),
    path("complaints/new/", discipline.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", discipline.complaint_detail, name="complaint_detail"),
    path("complaints/export.xlsx", discipline.export_complaints, name="complaint_export"),
    path("handbook/", discipline.handbook, name="handbook"),
    path("files/<int:pk>/", discipline.attachment, name="attachment"),
]
