"""Labor contracts, their clauses and supplementary agreements; the clause library."""

from __future__ import annotations

from rest_framework import serializers

from hrguard.people.models import ClauseTemplate, Contract, ContractClause, SupplementaryAgreement

from .common import Amount, id_field, text


class ContractClauseOut(serializers.ModelSerializer):
    class Meta:
        model = ContractClause
        fields = ("id", "template", "title", "body", "category", "is_key", "acknowledged_at", "order")
        read_only_fields = fields


class SupplementaryOut(serializers.ModelSerializer):
    class Meta:
        model = SupplementaryAgreement
        fields = ("id", "contract", "title", "body", "effective_date", "signed_date", "created_at")
        read_only_fields = fields


class ContractOut(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    clauses = ContractClauseOut(many=True, read_only=True)
    supplements = SupplementaryOut(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = (
            "id", "employee", "employee_no", "employee_name", "contract_no", "contract_type", "start_date",
            "end_date", "task_description", "probation_months", "probation_end_date", "wage", "probation_wage",
            "work_location", "status", "signed_date", "created_at", "clauses", "supplements",
        )
        read_only_fields = fields


class ClauseChoice(serializers.Serializer):
    template = id_field(help_text="Clause id from the company's clause library")
    is_key = serializers.BooleanField(required=False, default=False, help_text="Mark as a key clause (关键条款)")


class ContractIn(serializers.Serializer):
    employee = id_field()
    contract_no = text()
    contract_type = text("fixed_term, open_ended or task_based")
    start_date = text("YYYY-MM-DD")
    end_date = text("YYYY-MM-DD; required for fixed-term, empty for open-ended")
    probation_months = text("Whole months (statutory limits apply)")
    wage = Amount(help_text="Monthly wage, e.g. 12000.00")
    probation_wage = Amount()
    work_location = text()
    task_description = text("Required for task-based contracts")
    signed_date = text("YYYY-MM-DD")
    clauses = ClauseChoice(many=True, required=False)


class ClauseKeyIn(serializers.Serializer):
    clause = id_field(help_text="Id of a clause of this contract")
    is_key = serializers.BooleanField()


class SupplementaryIn(serializers.Serializer):
    title = text()
    body = text()
    effective_date = text("YYYY-MM-DD")


class ClauseTemplateOut(serializers.ModelSerializer):
    class Meta:
        model = ClauseTemplate
        fields = ("id", "code", "title", "body", "category", "key_by_default", "active")
        read_only_fields = fields


class ClauseTemplateIn(serializers.Serializer):
    code = text()
    title = text()
    body = text()
    category = text("finance_disclosure, confidentiality, non_compete, no_private_trading, training_service, other")
    key_by_default = serializers.BooleanField(required=False, default=False)
