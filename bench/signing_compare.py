"""Benchmark: the issue-13 signed copy against the single company seal, back to back, same load.

Run by hand (not part of the test suite):

    .venv/bin/python bench/signing_compare.py [--docs 40] [--db FILE | --pg [dbname]] [--profile]

For each of ``docs`` separation certificates it runs, alternately and in the same minute (so both see the
same load on a shared machine):

* **old** — render + stamp + company seal (one PAdES signature, as before issue 13);
* **new** — identity preparation, a fresh EC P-256 key and its event certificate from the company signing CA,
  render with the signature field, the employee's visible PAdES signature, the company seal, the DSS
  (certificates, CRL, VRI per signature): ``pdfs.render_signed`` as ``signer.sign`` calls it.

Prints wall median / p95 and CPU (``time.process_time``) median per document for both, the ratios, and
``uptime``'s load average. ``--profile`` adds a cProfile listing of the new path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

from common import db_arguments, setup, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40, help="documents per variant (default %(default)s)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of the new path")
    db_arguments(parser, "/tmp/hrguard-signing-compare.sqlite3")  # noqa: S108 - throw-away bench data
    args = parser.parse_args()
    setup(args, fresh=True)

    from django.utils import timezone

    from hrguard.documents import certificates, identity, library, services
    from hrguard.documents.models import DocumentTemplate, Envelope
    from hrguard.people.models import Employee
    from hrguard.people.synthetic import generate_company
    from hrguard.platform.pdf.render import SignatureBlock, render_document
    from hrguard.platform.pdf.seal import seal_pdf

    gen = generate_company("signcmp", "上海甲乙丙科技有限公司", employees=max(60, args.docs * 2), with_evidence=False)
    company = gen.company
    hr = gen.users.get("hr") or next(iter(gen.users.values()))
    library.ensure_default_templates(company)
    now = timezone.now()
    left_on = timezone.localdate(now) - dt.timedelta(days=1)
    people = list(Employee.objects.filter(company=company, hire_date__lt=left_on).order_by("pk")[: args.docs + 1])
    Employee.objects.filter(pk__in=[e.pk for e in people]).update(termination_date=left_on)
    version = DocumentTemplate.objects.get(company=company, name="离职证明").latest
    res = services.send_request(company, actor=hr, version=version, employees=people, channels=["email"],
                                deadline_at=now + dt.timedelta(days=7), skip_unreachable=True)
    envs = list(Envelope.objects.filter(request=res.request).select_related("request__version", "employee"))
    seal = services.pdfs.keystore.company_identity(company)

    def old(env: Envelope) -> bytes:
        block = SignatureBlock(label="员工（签字）", signer_name=env.employee.name, signed_at=now,
                               typed_name=env.employee.name)
        return seal_pdf(render_document(services.pdfs.envelope_content(env, block)), seal, reason="r",
                        location="", field_name="CompanySeal")

    def new(env: Envelope) -> bytes:
        outcome, _checked = identity.prepare(env)
        credential = certificates.issue(env, outcome.subject, now)
        return services.pdfs.render_signed(env, drawn_png=None, typed_name=env.employee.name, signed_at=now,
                                           company=company, credential=credential)

    old(envs[0])
    new(envs[0])  # warm-up: typst compiler, keys, CRL
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    walls: dict[str, list[float]] = {"old": [], "new": []}
    cpus: dict[str, list[float]] = {"old": [], "new": []}
    for i, env in enumerate(envs[1:]):
        order = (("old", old), ("new", new)) if i % 2 == 0 else (("new", new), ("old", old))
        for label, fn in order:
            w, c = time.perf_counter(), time.process_time()
            fn(env)
            walls[label].append(time.perf_counter() - w)
            cpus[label].append(time.process_time() - c)
    load_after = os.getloadavg()
    print(f"{args.docs} documents each, alternating, {started:%Y-%m-%d %H:%M} UTC, load average "
          f"{load_before[0]:.2f} → {load_after[0]:.2f} (1 min)")
    for label in ("old", "new"):
        wm, wp = summary(walls[label])
        cm = statistics.median(cpus[label]) * 1000
        print(f"  {label}: wall median {wm:6.1f} ms, p95 {wp:6.1f} ms; CPU median {cm:6.1f} ms")
    ratio_wall = statistics.median(walls["new"]) / statistics.median(walls["old"])
    ratio_cpu = statistics.median(cpus["new"]) / statistics.median(cpus["old"])
    print(f"  new / old: wall {ratio_wall:.2f}×, CPU {ratio_cpu:.2f}×")
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for env in envs[1:]:
            new(env)
        prof.disable()
        st = pstats.Stats(prof)
        st.sort_stats("tottime").print_stats(25)
        st.sort_stats("cumulative").print_stats(r"pyhanko|hrguard|cryptography", 70)


if __name__ == "__main__":
    main()
