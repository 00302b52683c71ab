"""Benchmark: render + PAdES-seal a one-page Chinese separation certificate (离职证明).

Run by hand: ``.venv/bin/python bench/pdf_sign.py [runs]`` (default 200). Each run renders a
different employee's certificate (so typst's memoisation cannot replay a previous run) and seals
it with the company key. Prints median and p95 in milliseconds for: render alone, seal alone
(PAdES-B-B), render+seal, and render+seal with an in-process RFC 3161 timestamp (PAdES-B-T,
pyHanko's DummyTimeStamper; a real TSA adds its network round trip on top).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

from hrguard.platform.pdf.keys import generate_company_pki, generate_tsa_pki
from hrguard.platform.pdf.render import DocumentContent, SignatureBlock, render_document
from hrguard.platform.pdf.seal import make_signer, make_timestamper, seal_pdf, verify_pdf

CST = dt.timezone(dt.timedelta(hours=8))
SURNAMES = "张王李赵刘陈杨黄周吴欧阳司马"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


def certificate(i: int) -> DocumentContent:
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
    day = dt.date(2025, 1, 1) + dt.timedelta(days=i % 300)
    return DocumentContent(
        title="离职证明",
        document_id=f"HRG-2025-{i:06d}",
        company_name="上海甲乙丙科技有限公司",
        paragraphs=[
            f"兹证明{name}（工号 S{i:05d}）自2020年1月6日起至{day.year}年{day.month}月{day.day}日止在我公司"
            "销售部担任客户经理职务。因个人原因，双方于上述日期依法解除劳动合同，劳动关系终止。",
            "特此证明。",
        ],
        fields=[("姓名", name), ("部门", "销售部"), ("离职日期", f"{day:%Y-%m-%d}")],
        signatures=[SignatureBlock("员工（签字）", name, dt.datetime(2025, 3, 31, 14, 5, i % 60, tzinfo=CST),
                                   typed_name=name)],
        issued_on=day,
        seal_text="人事专用章",
    )


def stats(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{label:<34} median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main(runs: int) -> None:
    pki = generate_company_pki("上海甲乙丙科技有限公司")
    tsa = generate_tsa_pki()
    signer = make_signer(pki.signer)
    stamper = make_timestamper(tsa.signer)

    first, _ = timed(lambda: render_document(certificate(-1)))
    print(f"first render (creates the typst compiler): {first * 1000:.1f} ms")
    seal_pdf(render_document(certificate(-2)), signer, "盖章", "上海", "seal", timestamper=stamper)  # warm-up

    render_t, seal_t, total_t, total_ts_t = [], [], [], []
    last = b""
    for i in range(runs):
        r, pdf = timed(lambda i=i: render_document(certificate(i)))
        s, last = timed(lambda pdf=pdf: seal_pdf(pdf, signer, "离职证明盖章", "上海", "company_seal"))
        render_t.append(r)
        seal_t.append(s)
        total_t.append(r + s)
    for i in range(runs):
        t, _ = timed(lambda i=i: seal_pdf(render_document(certificate(runs + i)), signer, "离职证明盖章",
                                          "上海", "company_seal", timestamper=stamper))
        total_ts_t.append(t)

    print(f"{runs} runs, one-page certificate, EC P-256 signer, {len(last)} bytes signed PDF")
    stats("render (typst)", render_t)
    stats("seal PAdES-B-B (pyHanko)", seal_t)
    stats("render + seal (B-B)", total_t)
    stats("render + seal + timestamp (B-T)", total_ts_t)
    v, result = timed(lambda: verify_pdf(last, [pki.root.cert]))
    print(f"verify once: {v * 1000:.1f} ms, ok={result.ok}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
