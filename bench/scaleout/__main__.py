"""``python -m bench.scaleout [--reminders N]``: run the scale-out demonstration and print the figures."""

from __future__ import annotations

import argparse
import os

from .harness import Setup, run


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reminders", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=2, help="worker threads per consumer")
    p.add_argument("--redis-url", default=os.environ.get("HRGUARD_SCALEOUT_REDIS", "redis://127.0.0.1:6379/6"))
    p.add_argument("--web-ports", default="8364,8365")
    p.add_argument("--smtp-port", type=int, default=8366)
    args = p.parse_args()
    web = tuple(int(x) for x in args.web_ports.split(","))
    setup = Setup(pg_db=f"hrguard_scaleout_{os.getpid()}", redis_url=args.redis_url, web_ports=(web[0], web[1]),
                  smtp_port=args.smtp_port, workers=args.workers)
    r = run(args.reminders, setup)
    print(f"reminders: {r.reminders}; consumers: {'; '.join(r.consumers)}; web processes on {args.web_ports}")
    print(f"consumer B SIGKILLed with {r.killed_at} of {r.reminders} reminders swept ({r.kill_seconds:.1f} s in): "
          f"{r.at_kill}")
    print(f"recovery: {r.leases_ended} leases of the dead consumer ended; messages it was sending settled "
          f"against the SMTP log: {r.settled}")
    print(f"delivered exactly once: {r.delivered_once} / {r.reminders}; duplicates: {r.duplicates}; "
          f"missing: {r.missing}")
    print(f"sweep + delivery: {r.sweep_seconds:.1f} s ({r.reminders / r.sweep_seconds:.0f} reminders/s incl. the "
          f"kill and recovery); web probes meanwhile: {r.web_ok} OK, {r.web_errors} errors")
    print("EXACTLY ONCE: yes" if r.exactly_once else "EXACTLY ONCE: NO")
    raise SystemExit(0 if r.exactly_once else 1)


if __name__ == "__main__":
    main()
