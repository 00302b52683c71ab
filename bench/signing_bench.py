"""Benchmark: the signing service end to end.

Run by hand (not part of the test suite):

    .venv/bin/python bench/signing_bench.py [--n 10000] [--docs 30] [--pg [dbname]]

Creates a fresh database (SQLite file, or PostgreSQL with --pg) holding one synthetic company of ``n``
employees, seeds the default templates and prints:

1. per document: render the original PDF (typst, Chinese) and the signed copy with two PAdES signatures (the
   employee's, with a one-time key and event certificate, then the company seal, DSS), without and — with
   ``--tsa`` — with timestamps from a local RFC 3161 server (median / p95 over ``docs`` separation certificates);
2. a batch of ``n`` handbook acknowledgements sent to the whole company by one ``send_request`` call:
   wall time, requests (envelopes) created per second and notifications queued per second — the
   worker's delivery is not included (Huey is switched to queue-only for this step);
3. evidence package for one signed envelope: build time and offline verification time (median of 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from common import db_arguments, setup, summary, vendor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="employees in the batch (default %(default)s)")
    parser.add_argument("--docs", type=int, default=30, help="documents rendered + signed (default %(default)s)")
    parser.add_argument("--tsa", action="store_true", help="also sign with timestamps from a local RFC 3161 TSA")
    db_arguments(parser, "/tmp/hrguard-signing-bench.sqlite3")  # noqa: S108 - throw-away bench data
    args = parser.parse_args()
    setup(args, fresh=True)

    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from hrguard.documents import library, packages, services, signer
    from hrguard.documents.models import DocumentTemplate, Envelope
    from hrguard.evidence.offline.verify import verify_package
    from hrguard.notify.models import OutboxMessage
    from hrguard.people.models import Employee
    from hrguard.people.synthetic import generate_company

    t = time.perf_counter()
    gen = generate_company("signbench", "上海甲乙丙科技有限公司", employees=args.n, with_evidence=False)
    company = gen.company
    hr = gen.users.get("hr") or next(iter(gen.users.values()))
    print(f"database: {vendor()}; company of {args.n:,} employees generated in {time.perf_counter() - t:.1f} s")
    library.ensure_default_templates(company)

    def version(name: str):  # type: ignore[no-untyped-def]
        return DocumentTemplate.objects.get(company=company, name=name).latest

    # 1. Per document: render original, render + seal signed copy.
    now = timezone.now()
    left_on = timezone.localdate(now) - dt.timedelta(days=1)
    people = list(Employee.objects.filter(company=company, hire_date__lt=left_on).order_by("pk")[: args.docs])
    # A separation certificate states the termination date (and is refused without one): these people left.
    Employee.objects.filter(pk__in=[e.pk for e in people]).update(termination_date=left_on)
    res = services.send_request(company, actor=hr, version=version("离职证明"), employees=people, channels=["email"],
                                deadline_at=now + dt.timedelta(days=7), skip_unreachable=True)
    envs = list(Envelope.objects.filter(request=res.request).select_related("request__version", "employee"))
    render_t: list[float] = []
    for env in envs:
        t = time.perf_counter()
        services.pdfs.render_original(env)
        render_t.append(time.perf_counter() - t)
    rm, rp = summary(render_t)
    print(f"render original PDF: median {rm:.1f} ms, p95 {rp:.1f} ms ({len(render_t)} separation certificates)")
    # The previous signed copy for comparison on the same machine and load: render + stamp + company seal only.
    from hrguard.platform.pdf.render import SignatureBlock, render_document
    from hrguard.platform.pdf.seal import seal_pdf

    old_t: list[float] = []
    identity = services.pdfs.keystore.company_identity(company)
    for env in envs:
        t = time.perf_counter()
        block = SignatureBlock(label="员工（签字）", signer_name=env.employee.name, signed_at=now,
                               typed_name=env.employee.name)
        seal_pdf(render_document(services.pdfs.envelope_content(env, block)), identity, reason="r", location="",
                 field_name="CompanySeal")
        old_t.append(time.perf_counter() - t)
    om, op = summary(old_t)
    print(f"before issue 13 — render + stamp + company seal only: median {om:.1f} ms, p95 {op:.1f} ms")
    sign_all(envs, company, now, "no TSA")
    if args.tsa:
        import sys
        from pathlib import Path

        from django.conf import settings

        sys.path.append(str(Path(__file__).resolve().parent.parent))  # the repository root, for tests/
        from hrguard.platform.pdf.keys import generate_tsa_pki
        from tests.tsa_server import serve_tsa

        with serve_tsa(generate_tsa_pki("Bench TSA").signer) as url:
            settings.HRGUARD_TSA_URL = url
            sign_all(envs, company, now, "local RFC 3161 TSA over HTTP: 2 signature timestamps + 1 document timestamp")
            settings.HRGUARD_TSA_URL = None

    # 3 (prepared here, on a small request): one fully signed envelope for the package.
    env = envs[0]
    t = time.perf_counter()
    signer.sign(env, verified=True, consent=True, typed_name=env.employee.name)
    print(f"sign one envelope through the service (render, seal, store, evidence): "
          f"{(time.perf_counter() - t) * 1000:.0f} ms")

    # 2. Batch: the whole company acknowledges the handbook.
    HUEY.immediate = False  # queue delivery tasks without running them: measure creation + queueing
    everyone = list(Employee.objects.filter(company=company).values_list("pk", flat=True))
    before = OutboxMessage.objects.count()
    t = time.perf_counter()
    batch = services.send_request(
        company, actor=hr, version=version("员工手册确认书"), employees=everyone, channels=["email"],
        deadline_at=timezone.now() + dt.timedelta(days=14), extra={"handbook_version": "2026版"},
        skip_unreachable=True,
    )
    elapsed = time.perf_counter() - t
    queued = OutboxMessage.objects.count() - before
    print(f"batch of {batch.request.size:,} handbook acknowledgements: {elapsed:.2f} s — "
          f"{batch.request.size / elapsed:,.0f} requests/s, {queued:,} notifications queued "
          f"({queued / elapsed:,.0f}/s); skipped {len(batch.skipped)} unreachable")
    HUEY.immediate = True

    builds: list[float] = []
    verifies: list[float] = []
    for _ in range(3):
        t = time.perf_counter()
        data = packages.envelope_package(Envelope.objects.get(pk=env.pk), actor=hr)
        builds.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = verify_package(data)
        verifies.append(time.perf_counter() - t)
        assert result.ok, [(c.en, c.detail) for c in result.checks if c.status == "fail"]
    print(f"evidence package ({len(data) / 1024:.0f} KiB): build median {statistics.median(builds) * 1000:.0f} ms, "
          f"offline verify median {statistics.median(verifies) * 1000:.0f} ms")


def sign_all(envs, company, now, label: str) -> None:  # type: ignore[no-untyped-def]
    """Per document: a one-time key + event certificate, render, the employee's PAdES signature (visible
    appearance), the company seal, DSS (certificates + CRL) — and the timestamps when a TSA is set."""
    from hrguard.documents import certificates, identity, services

    def once(env, name):  # type: ignore[no-untyped-def]
        outcome, _ = identity.prepare(env)
        credential = certificates.issue(env, outcome.subject, now)
        services.pdfs.render_signed(env, drawn_png=None, typed_name=name, signed_at=now, company=company,
                                    credential=credential)

    once(envs[0], "预热")  # warm-up (typst compiler, keys, TSA roots)
    sign_t: list[float] = []
    for env in envs:
        t = time.perf_counter()
        once(env, env.employee.name)
        sign_t.append(time.perf_counter() - t)
    sm, sp = summary(sign_t)
    print(f"signed PDF with two signatures (employee event certificate + company seal), {label}: "
          f"median {sm:.1f} ms, p95 {sp:.1f} ms")


if __name__ == "__main__":
    main()
