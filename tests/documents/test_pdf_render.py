"""Rendering: Chinese text survives a render → extract round trip; user text cannot inject markup."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from hrguard.platform.pdf.poppler import extract_text, squash_whitespace
from hrguard.platform.pdf.render import (
    DocumentContent,
    FontsNotFoundError,
    ReportSection,
    SignatureBlock,
    content_digest,
    find_font_dir,
    render_document,
    render_table_report,
    report_digest,
)

CST = dt.timezone(dt.timedelta(hours=8))
COMPANY = "上海甲乙丙科技有限公司"


def separation_certificate(png: bytes | None = None, **overrides: object) -> DocumentContent:
    base: dict[str, object] = {
        "title": "离职证明",
        "document_id": "HRG-2025-000123",
        "company_name": COMPANY,
        "paragraphs": [
            "兹证明张测试（身份证号：110105199003071234）自2020年1月6日起至2025年3月31日止在我公司"
            "销售部担任客户经理职务，因个人原因于2025年3月31日与我公司解除劳动合同。",
            "经办人欧阳娜娜。Mixed 中英文 ABC-123 与 v2.0 版本，共 3 份。",
            "全角标点：“引号”、《劳动合同法》；（括号）！？……——",
            "特此证明。",
        ],
        "fields": [("姓名", "张测试"), ("部门", "销售部·华东组"), ("离职日期", "2025年3月31日")],
        "signatures": [
            SignatureBlock("员工（签字）", "张测试", dt.datetime(2025, 3, 31, 14, 5, 9, tzinfo=CST),
                           drawn_png=png),
            SignatureBlock("经办人", "欧阳娜娜", dt.datetime(2025, 3, 31, 15, 0, tzinfo=CST),
                           typed_name="欧阳娜娜"),
        ],
        "issued_on": dt.date(2025, 3, 31),
        "seal_text": "人事专用章",
    }
    base.update(overrides)
    return DocumentContent(**base)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    return squash_whitespace(extract_text(pdf))


@pytest.mark.parametrize(
    "expected",
    [
        "张测试", "欧阳娜娜", "离职证明", COMPANY, "110105199003071234", "2020年1月6日",
        "Mixed 中英文 ABC-123", "中英文 ABC-123 与 v2.0 版本，共 3 份。",
        "“引号”、《劳动合同法》；（括号）！？……——", "销售部·华东组", "人事专用章",
        "签署人：张测试", "签署时间：2025年3月31日14:05:09（UTC+08:00）", "HRG-2025-000123",
    ],
)
def test_chinese_text_round_trip(signature_png: bytes, expected: str) -> None:
    pdf = render_document(separation_certificate(signature_png))
    assert pdf.startswith(b"%PDF-")
    assert squash_whitespace(expected) in text_of(pdf)


def test_whole_paragraphs_extract_exactly(signature_png: bytes) -> None:
    doc = separation_certificate(signature_png)
    text = text_of(render_document(doc))
    for paragraph in doc.paragraphs:
        assert squash_whitespace(paragraph) in text


def test_cjk_fonts_are_embedded_subsets() -> None:
    pdf = render_document(separation_certificate())
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    lines = out.stdout.decode().splitlines()[2:]
    assert any("NotoSerifCJK" in line for line in lines)
    assert any("NotoSansCJK" in line for line in lines)
    for line in lines:
        cols = line.split()
        # name ... emb sub uni object-id generation: every font embedded, subset, with ToUnicode.
        assert cols[-5:-2] == ["yes", "yes", "yes"], line


def test_footer_carries_content_digest_that_ignores_signatures(signature_png: bytes) -> None:
    signed = separation_certificate(signature_png)
    unsigned = separation_certificate(None, signatures=[])
    assert content_digest(signed) == content_digest(unsigned)
    assert content_digest(signed) in text_of(render_document(signed))
    changed = separation_certificate(signature_png, paragraphs=["兹证明张测试在我公司工作。"])
    assert content_digest(changed) != content_digest(signed)
    assert content_digest(changed) in text_of(render_document(changed))


def test_explicit_digest_is_printed() -> None:
    digest = "ab" * 32
    assert digest in text_of(render_document(separation_certificate(digest=digest)))


INJECTIONS = [
    "#set page(fill: red) #text(size: 40pt)[大]",
    '#read("/etc/passwd") #import "common.typ": *',
    "$x^2 + y_1$ 与 *粗体* 和 _斜体_",
    "<label> @ref \\ 反斜杠 `代码` ```raw```",
    "= 标题 - 列表 + 编号 / 术语: 定义 ~ 波浪",
    "// 注释 /* 块注释 */ [方括号] {花括号} #(1 + 1) #d.title起",
    "引号 \"双\" 'single' -- --- ... 结束",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_markup_characters_render_literally(payload: str) -> None:
    doc = separation_certificate(
        title=f"通知{payload}", paragraphs=[payload], fields=[(payload, payload)],
        signatures=[SignatureBlock(payload, payload, payload, typed_name=payload)],
        addressee=payload, seal_text=None,
    )
    text = text_of(render_document(doc))
    squashed = squash_whitespace(payload)
    # title, addressee, paragraph, field key and value, signature label, typed name, signer, time
    assert text.count(squashed) == 9
    assert "root:" not in text


def test_bad_signature_image_is_rejected() -> None:
    bad = SignatureBlock("员工", "张测试", None, drawn_png=b"GIF89a....")
    with pytest.raises(ValueError, match="PNG"):
        render_document(separation_certificate(signatures=[bad]))


def test_long_document_numbers_pages() -> None:
    clause = "员工张测试应当遵守公司规章制度。" * 6
    doc = separation_certificate(paragraphs=[f"第{i}条　{clause}" for i in range(1, 60)])
    text = text_of(render_document(doc))
    pages = text.count("内容摘要")
    assert pages >= 2
    assert f"第1页/共{pages}页" in text
    assert f"第{pages}页/共{pages}页" in text


def test_missing_fonts_are_reported(tmp_path: object) -> None:
    with pytest.raises(FontsNotFoundError, match="fonts-noto-cjk"):
        find_font_dir(tmp_path)  # type: ignore[arg-type]
    with pytest.raises(FontsNotFoundError):
        render_document(separation_certificate(), font_dir=tmp_path)  # type: ignore[arg-type]


def test_certificate_of_completion_report() -> None:
    original = "3f" * 32
    signed = "a7" * 32
    events = [
        ["2025-03-31 14:00:01", "发送签署邀请", "203.0.113.7", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)",
         "短信"],
        ["2025-03-31 14:03:12", "验证码校验通过", "2001:db8::1", "微信内置浏览器", "邮件"],
        ["2025-03-31 14:05:09", "张测试完成签署", "203.0.113.7", "Safari 17", "网页"],
        ["2025-03-31 15:00:00", "公司盖章（欧阳娜娜）", "10.0.0.5", "HRGuard 服务器", "系统"],
    ]
    sections = [
        ReportSection("文件信息", pairs=[("文件编号", "HRG-2025-000123"), ("原文 SHA-256", original),
                                         ("签署后 SHA-256", signed), ("检查点根", "c0" * 32)]),
        ReportSection("签署事件", columns=["时间", "事件", "IP", "设备", "渠道"], rows=events,
                      widths=[1.3, 1.2, 1, 1.8, 0.6]),
        ReportSection("说明", paragraphs=["本证明由 HRGuard 自动生成，事件记录见 events.jsonl。"]),
    ]
    pdf = render_table_report("签署完成证明", sections, document_id="HRG-2025-000123", company_name=COMPANY)
    text = text_of(pdf)
    for needle in ["签署完成证明", COMPANY, original, signed, "c0" * 32, "本证明由HRGuard自动生成"]:
        assert needle in text
    for row in events:
        for cell in row:
            assert squash_whitespace(cell) in text
    assert report_digest("签署完成证明", sections, "HRG-2025-000123", COMPANY) in text


def test_long_hash_in_narrow_column_wraps_without_losing_characters() -> None:
    digest = "0123456789abcdef" * 8
    pdf = render_table_report("测试", [ReportSection("事件", columns=["时间", "哈希", "IP"],
                                                  rows=[["2025-03-31", digest, "::1"]])])
    assert digest in text_of(pdf)


def test_report_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="row 0"):
        render_table_report("测试", [ReportSection("事件", columns=["a", "b"], rows=[["1"]])])


def test_minimal_document_without_company_or_signatures() -> None:
    doc = DocumentContent(title="通知", paragraphs=["请于3月31日前办理交接。"], document_id="N-1",
                          company_name="")
    text = text_of(render_document(doc))
    assert "通知" in text and "请于3月31日前办理交接。" in text and content_digest(doc) in text
    with pytest.raises(ValueError, match="title"):
        render_document(DocumentContent(title=" ", paragraphs=[], document_id="N-2", company_name=""))
