"""Seed the demo company (``hrguard demo [--employees N]``) with a year of history and print one login
per role. Re-running adds only what is missing (see ``hrguard.web.demo_data``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from hrguard.core.models import Company
from hrguard.core.tasks import optimize_sqlite
from hrguard.people.synthetic import DEMO_PASSWORD, generate_company
from hrguard.web.demo_data import seed_history

DEMO_CODE = "demo"
ROLE_LABELS = {
    "admin": "系统管理员 admin",
    "hr": "人事 HR",
    "legal": "法务 legal",
    "compliance": "合规 compliance",
    "finance": "财务 finance",
    "manager": "部门经理 department manager",
    "employee": "员工 employee",
}


def print_logins(write: Any, code: str = DEMO_CODE) -> None:
    write(f"演示账号 / demo logins (password: {DEMO_PASSWORD}):")
    for key, label in ROLE_LABELS.items():
        write(f"  {label:<32} {code}-{key}")


def require_migrated(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse, with the command to run, when the database lacks any migration (a traceback about a missing
    table is all an unmigrated database gave)."""
    executor = MigrationExecutor(connections[alias])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "数据库尚未初始化或未升级，请先运行 hrguard migrate"
            "（the database is not migrated: run `hrguard migrate` first）"
        )


class Command(BaseCommand):
    help = "Seed the demo company (about 200 employees, a year of history) where missing; print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=200)
        parser.add_argument("--reset", action="store_true", help="fail if the demo company exists")
        parser.add_argument("--no-history", action="store_true", help="only the roster, no year of records")

    def handle(self, *args: Any, **opts: Any) -> None:
        require_migrated()
        started = time.perf_counter()
        company = Company.objects.filter(code=DEMO_CODE).first()
        fresh = company is None
        if company is not None:
            self.stdout.write("Demo company already present.")
        else:
            gen = generate_company(DEMO_CODE, "示例科技有限公司", employees=opts["employees"], history=True)
            company = gen.company
            self.stdout.write(f"Seeded {len(gen.employees)} employees in {len(gen.departments)} departments.")
        from hrguard.documents.library import ensure_default_templates

        if created := ensure_default_templates(company):
            self.stdout.write(f"Added {created} document templates (离职证明, 员工手册确认书, …).")
        from hrguard.people.contracts import ensure_default_clauses

        if created := ensure_default_clauses(company):
            self.stdout.write(f"Added {created} key clauses to the clause library (个人财务状况告知, 保密义务, …).")
        if not opts["no_history"]:
            report = seed_history(company, write=self.stdout.write)
            if any(count for count, _seconds in report.values()):
                fresh = True
                self.stdout.write(f"History seeded in {time.perf_counter() - started:.1f} s.")
        if fresh:
            optimize_sqlite(full=True)  # statistics for the planner after a bulk load (SQLite only)
        print_logins(self.stdout.write)
