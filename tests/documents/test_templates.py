"""Template library: defaults, unknown variables, Art. 24 fields, versions pinned, Chinese PDFs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrguard.documents import library, pdfs, services, variables
from hrguard.documents.defaults import DEFAULTS
from hrguard.documents.models import DocumentTemplate, Envelope, TemplateVersion
from hrguard.law import termination
from hrguard.platform.pdf.poppler import extract_text, squash_whitespace
from hrguard.platform.pdf.render import render_document

from .conftest import template_version

pytestmark = pytest.mark.django_db

EXTRA = {
    "reason": "严重违反公司规章制度", "effective_date": "2026年12月1日", "amount": "3,500.00",
    "agency_name": "某某资产管理有限公司", "law_firm": "上海某某律师事务所", "handbook_version": "2026版",
    "items": "一、客户资料移交；二、门禁卡及电脑归还", "reply_days": "7",
}


def test_defaults_seeded_once(world) -> None:  # type: ignore[no-untyped-def]
    assert library.ensure_default_templates(world.company) == len(DEFAULTS)
    assert library.ensure_default_templates(world.company) == 0
    names = set(DocumentTemplate.objects.filter(company=world.company).values_list("name", flat=True))
    for required in ("离职证明", "员工手册确认书", "背景调查及征信授权书", "合规承诺书", "债务结清声明",
                     "致催收机构律师函", "解除劳动合同通知书", "劳动合同补充协议", "工作交接确认书"):
        assert required in names
    assert all(t.latest.number == 1 for t in DocumentTemplate.objects.filter(company=world.company))


def test_unknown_variable_refused_with_name(docs) -> None:  # type: ignore[no-untyped-def]
    tpl = DocumentTemplate.objects.get(company=docs.company, name="合规承诺书")
    with pytest.raises(ValidationError) as exc:
        library.save_version(tpl, actor=docs.users["hr"], title="合规承诺书",
                             body="本人{{ employee_name }}，工资{{ salary }}，{{ bonus_x }}。")
    text = str(exc.value.message_dict["body"])
    assert "salary" in text and "bonus_x" in text
    with pytest.raises(ValidationError):
        library.save_version(tpl, actor=docs.users["hr"], title="合规承诺书", body="本人{{ employee_name }")
    assert tpl.versions.count() == 1


def test_separation_certificate_needs_art24_fields(docs) -> None:  # type: ignore[no-untyped-def]
    tpl = DocumentTemplate.objects.get(company=docs.company, name="离职证明")
    with pytest.raises(ValidationError) as exc:
        library.save_version(tpl, actor=docs.users["hr"], title="离职证明", body="兹证明{{ employee_name }}已离职。")
    text = str(exc.value.message_dict["body"])
    assert termination.REG_ART_24.zh in text  # the citation and the items come from hrguard/law
    for name, (zh, _en) in termination.SEPARATION_CERTIFICATE_FIELDS.items():
        assert f"{zh}（{{{{ {name} }}}}）" in text


def test_only_admin_or_hr_edit_templates(docs, other_world) -> None:  # type: ignore[no-untyped-def]
    tpl = DocumentTemplate.objects.get(company=docs.company, name="合规承诺书")
    for user in (docs.users["employee"], docs.users["finance"], other_world.users["hr"]):
        with pytest.raises(PermissionDenied):
            library.save_version(tpl, actor=user, title="x", body="y")


def test_edit_makes_new_version_and_requests_stay_pinned(docs) -> None:  # type: ignore[no-untyped-def]
    tpl = DocumentTemplate.objects.get(company=docs.company, name="合规承诺书")
    v1 = tpl.latest
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=v1, employees=[docs.employees["engineer"]],
        channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=3),
    )
    v2 = library.save_version(tpl, actor=docs.users["admin"], title="合规承诺书（2027版）",
                              body="本人{{ employee_name }}承诺遵守公司规章制度。")
    assert v2.number == 2 and v2.body_sha256 != v1.body_sha256
    assert TemplateVersion.objects.get(pk=v1.pk).body == v1.body  # old wording untouched
    env = Envelope.objects.get(request=res.request)
    assert env.request.version_id == v1.pk
    text = squash_whitespace(extract_text(bytes(services.ensure_original(env).data)))
    assert "郑重承诺" in text and "2027版" not in text


def test_missing_request_values_refused(docs) -> None:  # type: ignore[no-untyped-def]
    version = template_version(docs.company, "解除劳动合同通知书")
    with pytest.raises(ValidationError) as exc:
        services.send_request(docs.company, actor=docs.users["hr"], version=version,
                              employees=[docs.employees["east_rep"]], channels=["email"],
                              deadline_at=timezone.now() + dt.timedelta(days=3), extra={"reason": "x"})
    assert "effective_date" in str(exc.value.message_dict["extra"])


def test_id_number_masked_unless_template_says_full(docs) -> None:  # type: ignore[no-untyped-def]
    emp = docs.employees["east_rep"]
    today = dt.date(2026, 11, 27)
    masked = variables.employee_values(emp, docs.company, show_full_id=False, today=today)["id_number"]
    full = variables.employee_values(emp, docs.company, show_full_id=True, today=today)["id_number"]
    assert full == emp.id_number and masked != full and masked[:6] == full[:6] and masked[-4:] == full[-4:]
    assert "*" in masked


@pytest.mark.parametrize("person", ["east_rep", "sales_rep"])
def test_every_default_template_renders_chinese(docs, person: str) -> None:  # type: ignore[no-untyped-def]
    """Render every seeded template for 张测试 and 欧阳娜娜 and read the text back with poppler."""
    emp = docs.employees[person]
    assert emp.name in ("张测试", "欧阳娜娜")
    for tpl in DocumentTemplate.objects.filter(company=docs.company):
        version = tpl.latest
        values = variables.employee_values(emp, docs.company, show_full_id=version.show_full_id,
                                           today=dt.date(2026, 11, 27))
        values.update(EXTRA)
        content = pdfs.build_content(version, values, document_id=f"T-{tpl.pk}", company_name=docs.company.name,
                                     issued_on=dt.date(2026, 11, 27))
        text = squash_whitespace(extract_text(render_document(content)))
        assert squash_whitespace(content.title) in text, tpl.name
        assert emp.name in text, tpl.name
        for para in content.paragraphs:
            assert squash_whitespace(para) in text, (tpl.name, para)
        assert "{{" not in text
