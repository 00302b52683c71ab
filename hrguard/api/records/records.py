"""API of expenses and travel, performance, violations and complaints."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.discipline import complaints, violations
from hrguard.discipline import selectors as discipline
from hrguard.expenses import selectors as expenses
from hrguard.expenses import services as expense_services
from hrguard.performance import selectors as performance
from hrguard.performance import services as performance_services
from hrguard.platform.api_limits import LimitedFormParser, LimitedJSONParser

from .base import EMPLOYEE_PARAM, ERRORS, READ_ERRORS, ScopedViewSet, employee_for, int_param, writes
from .serializers import (
    AckIn,
    AdvanceIn,
    AdvanceOut,
    ClaimIn,
    ClaimOut,
    ClauseIn,
    ClauseOut,
    ClosePlanIn,
    ComplaintIn,
    ComplaintOut,
    CycleIn,
    CycleOut,
    DecideIn,
    FilesIn,
    InvestigateIn,
    LinkIn,
    NoteIn,
    OutstandingOut,
    PlanIn,
    PlanOut,
    RefusalIn,
    RepayIn,
    ResolveIn,
    ReviewOut,
    RuleIn,
    RuleOut,
    ScoreIn,
    SetKpisIn,
    TripIn,
    TripOut,
    ViolationIn,
    ViolationOut,
)

FILTERS = [EMPLOYEE_PARAM, OpenApiParameter("status", str)]
MULTIPART = [MultiPartParser, LimitedFormParser, LimitedJSONParser]


def _body(serializer: Any, request: Request) -> dict[str, Any]:
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class _Filtered(ScopedViewSet):
    def filters(self) -> dict[str, Any]:
        return {"employee_id": int_param(self.request, "employee"),
                "status": self.request.query_params.get("status", "")}

    def obj(self, pk: Any) -> Any:
        found = type(self).selector(self.request.user).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found


class _Approvable(_Filtered):
    @writes(NoteIn, None)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        note = _body(NoteIn, request).get("decision_note")
        return self.reply(expense_services.decide(request.user, self.obj(pk), True, note))

    @writes(NoteIn, None)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        note = _body(NoteIn, request).get("decision_note")
        return self.reply(expense_services.decide(request.user, self.obj(pk), False, note))

    @writes(None, None)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.reply(expense_services.cancel(request.user, self.obj(pk)))


@extend_schema(tags=["expenses"], parameters=FILTERS)
class TripViewSet(_Approvable):
    serializer_class = TripOut
    selector = staticmethod(expenses.trips)

    @writes(TripIn, TripOut, 201)
    def create(self, request: Request) -> Response:
        employee = employee_for(request, None)
        return self.reply(expense_services.submit_trip(request.user, employee, _body(TripIn, request)), 201)


@extend_schema(tags=["expenses"], parameters=FILTERS)
class ClaimViewSet(_Approvable):
    serializer_class = ClaimOut
    selector = staticmethod(expenses.claims)
    parser_classes = MULTIPART

    @extend_schema(request={"multipart/form-data": ClaimIn}, responses={201: ClaimOut, **ERRORS})
    def create(self, request: Request) -> Response:
        data = _body(ClaimIn, request)
        uploads = data.pop("files", [])
        employee = employee_for(request, None)
        return self.reply(expense_services.submit_claim(request.user, employee, data, uploads), 201)


@extend_schema(tags=["expenses"], parameters=[EMPLOYEE_PARAM])
class AdvanceViewSet(_Filtered):
    serializer_class = AdvanceOut
    selector = staticmethod(expenses.advances)

    def filters(self) -> dict[str, Any]:
        return {"employee_id": int_param(self.request, "employee")}

    @writes(AdvanceIn, AdvanceOut, 201, description="Finance records a cash advance or loan paid out.")
    def create(self, request: Request) -> Response:
        data = _body(AdvanceIn, request)
        employee = employee_for(request, data.pop("employee"), perm="expenses.manage_advances")
        return self.reply(expense_services.issue_advance(request.user, employee, data), 201)

    @writes(RepayIn, AdvanceOut)
    @action(detail=True, methods=["post"])
    def repay(self, request: Request, pk: Any = None) -> Response:
        advance = self.obj(pk)
        expense_services.repay(request.user, advance, _body(RepayIn, request))
        return self.reply(self.obj(pk))

    @extend_schema(responses={200: OutstandingOut(many=True), **READ_ERRORS},
                   description="Per employee, advances and loans still owed.")
    @action(detail=False, methods=["get"], pagination_class=None)
    def outstanding(self, request: Request) -> Response:
        if not request.user.has_perm("expenses.view_finance_overview"):
            raise Http404
        return Response(OutstandingOut(expenses.outstanding_by_employee(request.user)[:5000], many=True).data)


@extend_schema(tags=["performance"])
class CycleViewSet(ScopedViewSet):
    serializer_class = CycleOut
    selector = staticmethod(performance.cycles)

    @writes(CycleIn, CycleOut, 201)
    def create(self, request: Request) -> Response:
        cycle = performance_services.create_cycle(request.user, request.user.company, _body(CycleIn, request))
        return self.reply(cycle, 201)


@extend_schema(tags=["performance"], parameters=[EMPLOYEE_PARAM, OpenApiParameter("cycle", int)])
class ReviewViewSet(ScopedViewSet):
    serializer_class = ReviewOut
    selector = staticmethod(performance.reviews)

    def filters(self) -> dict[str, Any]:
        return {"employee_id": int_param(self.request, "employee"), "cycle_id": int_param(self.request, "cycle")}

    @writes(SetKpisIn, ReviewOut, description="Set or re-set (with a reason) KPIs and weights; weights must add "
            "up to 100.")
    @action(detail=False, methods=["post"], url_path="set-kpis")
    def set_kpis(self, request: Request) -> Response:
        data = _body(SetKpisIn, request)
        employee = employee_for(request, data["employee"])
        cycle = performance.cycle_for(request.user, data["cycle"])
        if cycle is None:
            raise Http404
        review = performance_services.set_kpis(request.user, employee, cycle, data["kpis"], data.get("reason", ""))
        return self.reply(performance.review_for(request.user, review.pk))

    @writes(ScoreIn, ReviewOut)
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: Any = None) -> Response:
        data = _body(ScoreIn, request)
        review = performance.review_for(request.user, pk)
        if review is None:
            raise Http404
        performance_services.score_review(request.user, review, data["scores"], data.get("comment", ""))
        return self.reply(performance.review_for(request.user, pk))


@extend_schema(tags=["performance"], parameters=[EMPLOYEE_PARAM])
class PlanViewSet(_Filtered):
    serializer_class = PlanOut
    selector = staticmethod(performance.plans)

    def filters(self) -> dict[str, Any]:
        return {"employee_id": int_param(self.request, "employee")}

    @writes(PlanIn, PlanOut, 201)
    def create(self, request: Request) -> Response:
        data = _body(PlanIn, request)
        employee = employee_for(request, data.pop("employee"))
        return self.reply(performance_services.create_plan(request.user, employee, data), 201)

    @writes(ClosePlanIn, PlanOut)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        data = _body(ClosePlanIn, request)
        return self.reply(performance_services.close_plan(request.user, self.obj(pk), data["status"], data["outcome"]))


@extend_schema(tags=["discipline"])
class ClauseViewSet(ScopedViewSet):
    serializer_class = ClauseOut
    selector = staticmethod(discipline.clauses)

    @writes(ClauseIn, ClauseOut, 201)
    def create(self, request: Request) -> Response:
        return self.reply(violations.save_clause(request.user, request.user.company, _body(ClauseIn, request)), 201)


@extend_schema(tags=["discipline"])
class RuleViewSet(ScopedViewSet):
    serializer_class = RuleOut
    selector = staticmethod(discipline.rules)

    @writes(RuleIn, RuleOut, 201, description="A step of the escalation ladder (e.g. 2 violations → dismissal "
            "review).")
    def create(self, request: Request) -> Response:
        return self.reply(violations.save_rule(request.user, request.user.company, _body(RuleIn, request)), 201)


@extend_schema(tags=["discipline"], parameters=FILTERS)
class ViolationViewSet(_Filtered):
    serializer_class = ViolationOut
    selector = staticmethod(discipline.violations)
    parser_classes = MULTIPART

    @extend_schema(request={"multipart/form-data": ViolationIn, "application/json": ViolationIn},
                   responses={201: ViolationOut, **ERRORS})
    def create(self, request: Request) -> Response:
        data = _body(ViolationIn, request)
        uploads = data.pop("files", [])
        employee = employee_for(request, data.pop("employee"))
        return self.reply(violations.record_violation(request.user, employee, data, uploads), 201)

    @writes(InvestigateIn, ViolationOut)
    @action(detail=True, methods=["post"])
    def investigate(self, request: Request, pk: Any = None) -> Response:
        data = _body(InvestigateIn, request)
        return self.reply(violations.investigate(request.user, self.obj(pk), data["investigation"]))

    @writes(DecideIn, ViolationOut)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        return self.reply(violations.decide(request.user, self.obj(pk), _body(DecideIn, request)))

    @writes(AckIn, ViolationOut, description="The employee acknowledges (accept=true) or refuses the decision.")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        data = _body(AckIn, request)
        return self.reply(violations.acknowledge(request.user, self.obj(pk), data["accept"], data.get("ack_note")))

    @writes(RefusalIn, ViolationOut, description="HR/compliance records a refusal to sign, with witnesses.")
    @action(detail=True, methods=["post"])
    def refusal(self, request: Request, pk: Any = None) -> Response:
        return self.reply(violations.record_refusal(request.user, self.obj(pk), _body(RefusalIn, request)["ack_note"]))

    @extend_schema(request={"multipart/form-data": FilesIn}, responses={200: ViolationOut, **ERRORS})
    @action(detail=True, methods=["post"])
    def files(self, request: Request, pk: Any = None) -> Response:
        data = _body(FilesIn, request)
        violation = self.obj(pk)
        violations.add_files(request.user, violation, data["files"])
        return self.reply(self.obj(pk))


@extend_schema(tags=["discipline"], parameters=FILTERS)
class ComplaintViewSet(_Filtered):
    serializer_class = ComplaintOut
    selector = staticmethod(discipline.complaints)

    @writes(ComplaintIn, ComplaintOut, 201)
    def create(self, request: Request) -> Response:
        data = _body(ComplaintIn, request)
        employee = employee_for(request, data.pop("employee"))
        return self.reply(complaints.record_complaint(request.user, employee, data), 201)

    @writes(ResolveIn, ComplaintOut)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        return self.reply(complaints.resolve(request.user, self.obj(pk), _body(ResolveIn, request)))

    @writes(LinkIn, ComplaintOut)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: Any = None) -> Response:
        data = _body(LinkIn, request)
        return self.reply(complaints.link_violations(request.user, self.obj(pk), data["violations"]))


