import argparse, sys
import common
p = argparse.ArgumentParser(); common.db_arguments(p, "/tmp/eng9/wf-bench.sqlite3"); args = p.parse_args()
common.setup(args)
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hrguard.core.models import User
from hrguard.workflows import services
from hrguard.workflows.models import Step
m = User.objects.select_related("company").get(username="wfbench-manager")
pk = Step.objects.filter(company_id=m.company_id, assignee_user=m, state="open").order_by("id").values_list("id", flat=True)[0]
m = User.objects.select_related("company").get(username="wfbench-manager")
with CaptureQueriesContext(connection) as ctx:
    services.act(actor=m, step_id=pk, action="approve", note="同意")
for i, q in enumerate(ctx.captured_queries):
    print(i, q["sql"][-260:].replace("\n", " "))
print(len(ctx.captured_queries))
