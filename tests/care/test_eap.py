"""The anonymous EAP is anonymous by construction: after a real request through the test client (the
employee signed in, from a known address), no table row the request wrote or changed, no log line and no
cookie links it to the employee, their user, address, session or the exact time; the counts page
suppresses small cells; the receipt phrase opens the request and a wrong one does not; the content is
unreadable without the provider's private key."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
AGENT = "Agent-Marker-7781"
SECRET_TEXT = "我欠了网贷十二万，催收天天打电话，很想不开"


@pytest.fixture
def provider_keys(world: Any) -> tuple[str, str]:
    from hrguard.care import services
    from hrguard.care.eap import crypto

    private, public = crypto.new_keypair()
    services.set_provider(actor=world.users["hr"], company=world.company, name="心桥 EAP", public_key=public)
    return private, public


def snapshot() -> dict[str, set[tuple[str, ...]]]:
    """Every row of every table, raw as the database holds it (what a DBA would query)."""
    out: dict[str, set[tuple[str, ...]]] = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{table}"')  # table names from the introspection
            out[table] = {tuple(_text(v) for v in row) for row in cur.fetchall()}
    return out


def _text(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def started_at() -> float:
    return timezone.now().timestamp()


def nonce_of(response: Any) -> str:
    match = re.search(r'name="nonce" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


def test_a_request_leaves_no_trace_linking_it_to_the_person(world, provider_keys, caplog):
    user, employee = world.users["employee"], world.employees["east_rep"]
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    client.force_login(user)  # the employee is signed in elsewhere in the same browser
    session_key = client.session.session_key
    client.get("/")  # an ordinary page: the session is live
    from hrguard.core import sessions

    session = client.session  # last seen some minutes ago: a request carrying it would slide its expiry
    session[sessions.STARTED] = session[sessions.TOUCHED] = int(started_at()) - 600
    session.save()
    before = snapshot()
    started = timezone.now()
    with caplog.at_level(logging.DEBUG):
        page = client.get("/eap/")
        assert page.status_code == 200 and "匿名" in page.content.decode()
        sent = client.post("/eap/", {"nonce": nonce_of(page), "category": "financial", "text": SECRET_TEXT},
                           HTTP_ORIGIN="http://testserver")
        client.get("/eap/no-such-page/")  # a 404 under /eap/ (Django logs those with the path)
    assert sent.status_code == 200, sent.content.decode()[:300]
    assert "回执口令" in sent.content.decode()
    after = snapshot()

    for response in (page, sent):
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response.headers
    changed = {table: after[table] - before.get(table, set()) for table in after}
    changed = {t: rows for t, rows in changed.items() if rows}
    gone = {t: before[t] - after.get(t, set()) for t in before if before[t] - after.get(t, set())}
    # Only the two EAP tables got rows; nothing else changed (no session touch, no evidence event, no outbox).
    assert set(changed) == {"care_eaprequest", "care_eapmessage"}, set(changed)
    assert not gone, set(gone)

    exact = [started.strftime(fmt) for fmt in ("%H:%M", "%Y-%m-%dT%H", "%Y-%m-%d %H")] + [
        timezone.localtime(started).strftime("%H:%M"), str(int(started.timestamp()))[:8]]
    needles = [IP, AGENT, session_key, user.username, employee.name, employee.employee_no, SECRET_TEXT, *exact]
    for table, rows in changed.items():
        for row in rows:
            text = " | ".join(row)
            for needle in needles:
                assert needle not in text, (table, needle)
            for value in row:  # no value is a timestamp (only the Monday of the week, a date)
                assert not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}.*", value), (table, value)
    # The primary keys are random (UUIDs), not a counter that orders requests in time.
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM care_eaprequest")
        (rid,) = [str(r[0]) for r in cur.fetchall()]
    assert re.fullmatch(r"[0-9a-f-]{32,36}", rid)
    # Nowhere in the whole database (not just new rows) is the address or the agent marker.
    for table, rows in after.items():
        for row in rows:
            assert IP not in " | ".join(row) and AGENT not in " | ".join(row), table
    # No log line mentions the EAP path, the address or the person.
    for record in caplog.records:
        line = record.getMessage()
        assert "/eap/" not in line and IP not in line and user.username not in line, line


def test_the_page_opens_without_signing_in_and_sets_no_cookie(world, provider_keys):
    client = Client()
    page = client.get("/eap/")
    assert page.status_code == 200
    assert not page.cookies and "csrftoken" not in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in page.content.decode()


def test_forged_reused_or_cross_site_posts_are_refused(world, provider_keys):
    from hrguard.care.eap_models import EapRequest

    client = Client()
    nonce = nonce_of(client.get("/eap/"))
    data = {"category": "legal", "text": "劳动合同问题"}
    assert client.post("/eap/", {**data, "nonce": "forged"}).status_code == 400
    assert client.post("/eap/", {**data, "nonce": nonce}, HTTP_SEC_FETCH_SITE="cross-site").status_code == 400
    assert client.post("/eap/", {**data, "nonce": nonce}, HTTP_SEC_FETCH_SITE="same-origin").status_code == 200
    assert client.post("/eap/", {**data, "nonce": nonce}).status_code == 400  # spent
    bad = client.post("/eap/", {"category": "astrology", "text": "", "nonce": nonce_of(client.get("/eap/"))})
    assert bad.status_code == 400 and "请选择类别" in bad.content.decode()
    assert EapRequest.objects.count() == 1


def test_receipt_phrase_opens_the_thread_and_a_wrong_one_does_not(world, provider_keys, tmp_path):
    from django.core.management import call_command

    from hrguard.care.eap import services
    from hrguard.care.eap_models import EapProvider

    private, _public = provider_keys
    provider = EapProvider.objects.get(company=world.company)
    done = services.submit(provider=provider, category="psychological", text=SECRET_TEXT)
    assert len(done.phrase.split()) == 6
    # The provider reads with its private key (offline command) and answers.
    key_file = tmp_path / "provider.key"
    key_file.write_text(private)
    call_command("eap_inbox", company=world.company.code, key_file=str(key_file), answer=str(done.request.pk),
                 text="您好，我们的咨询师明天会联系您……请拨打 400 热线。")
    client = Client()
    page = client.get("/eap/follow/")
    wrong = client.post("/eap/follow/", {"nonce": nonce_of(page), "phrase": "bako bako bako bako bako bako"})
    assert wrong.status_code == 404 and SECRET_TEXT not in wrong.content.decode()
    right = client.post("/eap/follow/", {"nonce": nonce_of(client.get("/eap/follow/")),
                                         "phrase": done.phrase.upper()})
    body = right.content.decode()
    assert right.status_code == 200 and SECRET_TEXT in body and "400 热线" in body
    again = client.post("/eap/follow/", {"nonce": nonce_of(right), "phrase": done.phrase, "text": "谢谢，我再补充一点"})
    assert "谢谢，我再补充一点" in again.content.decode()
    done.request.refresh_from_db()
    assert not done.request.answered  # waits for the provider again
    assert done.phrase not in done.request.receipt_hash


def test_content_is_unreadable_without_the_provider_key(world, provider_keys):
    from hrguard.care.eap import crypto, services
    from hrguard.care.eap_models import EapMessage, EapProvider

    private, _public = provider_keys
    provider = EapProvider.objects.get(company=world.company)
    services.submit(provider=provider, category="legal", text=SECRET_TEXT)
    with connection.cursor() as cur:
        cur.execute("SELECT sealed_for_provider, sealed_for_person FROM care_eapmessage")
        sealed, for_person = cur.fetchone()
    assert SECRET_TEXT not in sealed and SECRET_TEXT not in for_person
    stranger, _ = crypto.new_keypair()
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(crypto.load_private(stranger), sealed)
    assert crypto.open_sealed(crypto.load_private(private), sealed) == SECRET_TEXT
    assert EapMessage.objects.count() == 1
    with pytest.raises(crypto.CryptoError):  # the server's own secrets open nothing either
        services.provider_inbox(provider, stranger)


def test_hr_sees_counts_by_month_with_cells_under_five_suppressed(world, provider_keys, client_for,
                                                                  django_assert_max_num_queries):
    from hrguard.care.eap import services
    from hrguard.care.eap_models import EapProvider

    provider = EapProvider.objects.get(company=world.company)
    for _ in range(4):
        services.submit(provider=provider, category="psychological", text="x")
    for _ in range(5):
        services.submit(provider=provider, category="financial", text="y")
    hr = client_for(world.users["hr"])
    with django_assert_max_num_queries(12):
        page = hr.get("/care/eap/")
    body = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'data-cell="psychological">&lt;5<', body)
    assert re.search(r'data-cell="financial">5<', body)
    assert re.search(r'data-cell="legal">&lt;5<', body)  # zero is also below 5
    assert client_for(world.users["employee"]).get("/care/eap/").status_code == 403
    assert client_for(world.users["manager"]).get("/care/eap/").status_code == 403


def test_weeks_not_times_and_month_of_the_week(world, provider_keys):
    from hrguard.care.eap import services
    from hrguard.care.eap_models import EapProvider, EapRequest

    provider = EapProvider.objects.get(company=world.company)
    services.submit(provider=provider, category="legal", text="z")
    (row,) = EapRequest.objects.all()
    assert row.week.weekday() == 0 and row.week <= timezone.localdate() < row.week + dt.timedelta(days=7)
    assert not any(f.get_internal_type() == "DateTimeField" for f in EapRequest._meta.concrete_fields)
