"""Token authentication and the me/ endpoint."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hrguard.core.models import User


def test_token_from_username_and_password_authenticates_later_calls(world):
    anonymous = APIClient()
    resp = anonymous.post(
        "/api/v1/auth/token/", {"username": "acme-employee", "password": "pw-employeeemployee"}, format="json"
    )
    assert resp.status_code == 200
    token = resp.json()["token"]
    # The same token comes back on a second login.
    again = anonymous.post(
        "/api/v1/auth/token/", {"username": "acme-employee", "password": "pw-employeeemployee"}, format="json"
    )
    assert again.json()["token"] == token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "acme-employee"
    assert me["role"] == "employee"
    assert me["company"]["code"] == "acme"
    assert me["employee"]["employee_no"] == "S002"
    assert me["employee"]["phone"].count("*") == 4  # masked even for oneself
    assert me["permissions"]["people.add_employee"] is False


def test_me_of_hr_has_no_employee_record_and_hr_permissions(world, api):
    me = api(world.users["hr"]).get("/api/v1/me/").json()
    assert me["employee"] is None
    assert me["role"] == "hr"
    assert me["permissions"]["people.add_employee"] is True


def test_wrong_password_is_a_400_in_the_error_format(world):
    resp = APIClient().post("/api/v1/auth/token/", {"username": "acme-hr", "password": "nope"}, format="json")
    assert resp.status_code == 400
    body = resp.json()
    assert body["error"] == "invalid"
    assert "non_field_errors" in body["fields"]
    assert "token" not in body


def test_missing_credentials_name_the_fields(world):
    resp = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert resp.status_code == 400
    assert set(resp.json()["fields"]) == {"username", "password"}


def test_no_token_or_bad_token_is_401(world):
    resp = APIClient().get("/api/v1/employees/")
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"] == "Token"
    assert resp.json()["error"] == "not_authenticated"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert bad.get("/api/v1/me/").status_code == 401


def test_user_without_company_is_refused(world, api):
    loner = User.objects.create_user(username="loner", password="pw-lonerloner", role="hr")
    resp = api(loner).get("/api/v1/employees/")
    assert resp.status_code == 403
    assert resp.json()["error"] == "permission_denied"


def test_deactivated_user_token_is_refused(world, api):
    user = world.users["legal"]
    client = api(user)
    assert client.get("/api/v1/me/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    resp = client.get("/api/v1/me/")
    assert resp.status_code == 401 and resp.json()["error"] == "authentication_failed"


def test_token_endpoint_accepts_form_data(world):
    resp = APIClient().post(  # what `curl -d username=…&password=…` sends
        "/api/v1/auth/token/", "username=acme-hr&password=pw-hrhr", content_type="application/x-www-form-urlencoded"
    )
    assert resp.status_code == 200 and len(resp.json()["token"]) == 40


def _token(username: str, password: str) -> str:
    resp = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert resp.status_code == 200, resp.content
    return resp.json()["token"]


def _me(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/me/").status_code


def test_a_password_change_revokes_the_token(world):
    from hrguard.evidence.models import EvidenceEvent

    user = world.users["legal"]
    token = _token(user.username, "pw-legallegal")
    assert _me(token) == 200
    user.set_password("a-new-long-passphrase")
    user.save()
    assert _me(token) == 401
    assert not Token.objects.filter(user=user).exists()
    event = EvidenceEvent.objects.get(company=world.company, action="api.token_revoked")
    assert '"password_changed"' in event.record and event.subject_id == str(user.pk)
    fresh = _token(user.username, "a-new-long-passphrase")  # the new password gets a new token
    assert fresh != token and _me(fresh) == 200


def test_deactivation_revokes_the_token_for_good(world):
    user = world.users["legal"]
    token = _token(user.username, "pw-legallegal")
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.is_active = True  # reactivated later: the old token stays dead
    user.save(update_fields=["is_active"])
    assert _me(token) == 401
    assert not Token.objects.filter(user=user).exists()


def test_saves_that_touch_neither_password_nor_activity_keep_the_token(world):
    user = world.users["legal"]
    token = _token(user.username, "pw-legallegal")
    user.first_name = "律"
    user.save()
    user.save(update_fields=["last_login"])
    assert _me(token) == 200
