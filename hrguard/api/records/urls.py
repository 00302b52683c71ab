"""API routes of the five record apps (attendance, leave, expenses, performance, discipline), under
/api/v1/activity/ (the path kept from when they were one ``activity`` app)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import attendance, leave, records, setup

router = SimpleRouter()
router.register("shifts", attendance.ShiftViewSet, basename="activity-shift")
router.register("calendar", attendance.CalendarViewSet, basename="activity-calendar")
router.register("punch-profiles", setup.ProfileViewSet, basename="activity-punch-profile")
router.register("punch-imports", attendance.PunchImportViewSet, basename="activity-punch-import")
router.register("punch-import-jobs", attendance.PunchImportJobViewSet, basename="activity-punch-import-job")
router.register("attendance-days", attendance.AttendanceDayViewSet, basename="activity-attendance-day")
router.register("attendance-monthly", attendance.MonthlySummaryViewSet, basename="activity-attendance-monthly")
router.register("leave-requests", leave.LeaveRequestViewSet, basename="activity-leave")
router.register("leave-balances", leave.LeaveBalanceViewSet, basename="activity-leave-balance")
router.register("trips", records.TripViewSet, basename="activity-trip")
router.register("expense-claims", records.ClaimViewSet, basename="activity-claim")
router.register("advances", records.AdvanceViewSet, basename="activity-advance")
router.register("review-cycles", records.CycleViewSet, basename="activity-cycle")
router.register("reviews", records.ReviewViewSet, basename="activity-review")
router.register("improvement-plans", records.PlanViewSet, basename="activity-plan")
router.register("handbook-clauses", records.ClauseViewSet, basename="activity-clause")
router.register("escalation-rules", records.RuleViewSet, basename="activity-rule")
router.register("discipline-reviews", setup.DisciplineReviewViewSet, basename="activity-discipline-review")
router.register("violations", records.ViolationViewSet, basename="activity-violation")
router.register("complaints", records.ComplaintViewSet, basename="activity-complaint")

urlpatterns = [path("activity/", include(router.urls))]
