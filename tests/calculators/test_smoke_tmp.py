import pytest
from hrguard.platform.pdf.poppler import extract_text
pytestmark = pytest.mark.django_db

def test_smoke(world, client_for):
    c = client_for(world.users["hr"])
    for url in ["/calculators/", "/calculators/compensation/?ground=art36_employer&service_months=67&monthly_wage=12000&local_average_wage=9000", "/calculators/last-day/?notice_date=2026-03-01&kind=resignation", "/calculators/probation/?contract_type=fixed_term&start_date=2026-01-01&end_date=2028-12-31", "/calculators/annual-leave/?year=2026&hire_date=2026-04-01&first_work_date=2010-07-01", "/calculators/non-compete/?months=24&average_monthly_wage=12000", "/calculators/wages/?employee_no=S002", "/calculators/compensation/?employee_no=S002&end_date=2026-03-15&ground=art36_employer"]:
        r = c.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.content[:3000]
    print(r.content.decode()[r.content.decode().find("calc-form"):][:3000])
    r = c.get(f"/calculators/risk-report/{world.employees['east_rep'].pk}/")
    print(r.status_code, r["Content-Type"])
    print(extract_text(r.content)[:2000])
