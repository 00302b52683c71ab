"""Logins for employees: create (one or many), activation links, deactivate, reactivate, change role.

Every function is one transaction with a permission check (``configuration.manage_accounts``) and an
evidence event. A new login has no usable password: the employee chooses one on the activation link, a
one-time, expiring token kept only as its SHA-256 hash. The link goes out through the outbox by email or
SMS when either reaches the employee; otherwise (or when the administrator asks to) it is shown once to
the administrator to hand over, and that hand-over is recorded as evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.roles import Role
from hrguard.evidence import services as evidence
from hrguard.notify import services as notify
from hrguard.notify.adapters import config_problem
from hrguard.people.models import Employee, EmployeeStatus
from hrguard.platform.errors import require

from .models import ActivationToken

PURPOSE = "account_activation"
DELIVERY_ORDER = ("email", "sms")
MAX_BULK = 500


@dataclass(frozen=True)
class Issued:
    """A login with a fresh activation link; ``link`` is shown to the administrator only for a hand-over."""

    user: User
    employee: Employee | None
    delivery: str  # email | sms | handover
    link: str = ""


def activation_days() -> int:
    return int(getattr(settings, "HRGUARD_ACTIVATION_DAYS", 7))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def activation_url(token: str) -> str:
    return f"{getattr(settings, 'HRGUARD_PUBLIC_URL', '').rstrip('/')}/accounts/activate/{token}/"


def _role(value: str) -> str:
    if value not in Role.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    return value


def _delivery_channel(employee: Employee | None) -> str:
    """The first of email / SMS that can reach the employee ('' when neither can)."""
    if employee is None:
        return ""
    for channel in DELIVERY_ORDER:
        if not config_problem(employee.company_id, channel) and notify.address_for(employee, channel):
            return channel
    return ""


def _issue(actor: User, user: User, employee: Employee | None, *, handover: bool) -> Issued:
    """Revoke the user's open links, make a new one and send it (or return it for a hand-over)."""
    now = timezone.now()
    ActivationToken.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    channel = "" if handover else _delivery_channel(employee)
    token = ActivationToken.objects.create(
        company_id=user.company_id, user=user, token_hash=digest(raw), created_by=actor,
        expires_at=now + dt.timedelta(days=activation_days()), delivery=channel or "handover",
    )
    link = activation_url(raw)
    if channel:
        notify.enqueue(
            user.company_id, recipient=employee, channels=[channel], purpose=PURPOSE, actor=actor,
            subject=_("Activate your HRGuard account"),
            body=_("Your login is %(username)s. Open the link to choose your password (valid for %(days)s "
                   "days, once): %(link)s") % {"username": user.username, "days": activation_days(), "link": link},
            link=link, idempotency_key=f"account-activation:{token.pk}", about=user, employee=employee,
        )
    evidence.record(
        user.company_id, actor, "account.activation_issued", user,
        {"username": user.username, "delivery": token.delivery, "expires_at": token.expires_at.isoformat(),
         "token_id": token.pk},
        employee=employee,
    )
    return Issued(user, employee, token.delivery, "" if channel else link)


def default_username(employee: Employee) -> str:
    return f"{employee.company.code}-{employee.employee_no}".lower()


def _check_employee(actor: User, employee: Employee | None, username: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if employee is None:
        return {"employee": [_("No such employee.")]}
    if employee.user_id:
        errors.setdefault("employee", []).append(
            _("%(name)s already has a login.") % {"name": employee.name})
    if employee.status == EmployeeStatus.LEFT:
        errors.setdefault("employee", []).append(
            _("%(name)s has left the company; no login can be created.") % {"name": employee.name})
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        errors.setdefault("username", []).append(
            _("The username “%(u)s” may contain only letters, digits and @ . + - _") % {"u": username})
    if len(username) > 150:
        errors.setdefault("username", []).append(_("The username is too long (at most 150 characters)."))
    elif User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("The username “%(u)s” is taken.") % {"u": username})
    return errors


def _new_login(actor: User, employee: Employee, username: str, role: str) -> User:
    user = User(username=username, company_id=actor.company_id, role=role, email=employee.email,
                first_name=employee.name[:150])
    user.set_unusable_password()
    user.save()
    employee.user = user
    employee.save(update_fields=["user", "updated_at"])
    evidence.record(actor.company_id, actor, "account.created", user,
                    {"username": username, "role": role, "employee_no": employee.employee_no}, employee=employee)
    return user


@transaction.atomic
def create_login(*, actor: User, employee_id: int, role: str = Role.EMPLOYEE, username: str = "",
                 handover: bool = False) -> Issued:
    """A login for one employee of the actor's company, with an activation link."""
    require(actor, "configuration.manage_accounts")
    employee = (Employee.objects.select_for_update().select_related("company")
                .filter(company_id=actor.company_id, pk=employee_id).first())
    username = (username or (default_username(employee) if employee else "")).strip()
    errors = _check_employee(actor, employee, username)
    try:
        _role(role)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert employee is not None
    return _issue(actor, _new_login(actor, employee, username, role), employee, handover=handover)


@transaction.atomic
def create_logins(*, actor: User, employee_ids: Sequence[int], role: str = Role.EMPLOYEE,
                  handover: bool = False) -> list[Issued]:
    """Logins for many employees at once: all or nothing; every refused employee is named."""
    require(actor, "configuration.manage_accounts")
    _role(role)
    ids = sorted({int(i) for i in employee_ids})
    if not ids:
        raise ValidationError({"employees": [_("Select at least one employee.")]})
    if len(ids) > MAX_BULK:
        raise ValidationError({"employees": [_("At most %(n)s employees at a time.") % {"n": MAX_BULK}]})
    found = {e.pk: e for e in Employee.objects.select_for_update().select_related("company")
             .filter(company_id=actor.company_id, pk__in=ids)}
    problems: list[str] = []
    if len(found) != len(ids):
        problems.append(_("Some selected employees do not exist (any more)."))
    names = {default_username(e): e for e in found.values()}
    taken = {u.lower() for u in User.objects.filter(username__in=list(names)).values_list("username", flat=True)}
    for username, employee in names.items():
        errs = {k: v for k, v in _check_employee(actor, employee, username).items()}
        if username in taken:
            errs.setdefault("username", []).append(_("The username “%(u)s” is taken.") % {"u": username})
        problems += [f"{employee.name}（{employee.employee_no}）：{m}" for msgs in errs.values() for m in set(msgs)]
    if problems:
        raise ValidationError({"employees": problems})
    return [_issue(actor, _new_login(actor, e, u, role), e, handover=handover) for u, e in names.items()]


def _account(actor: User, user_id: int) -> User:
    user = User.objects.select_for_update().filter(company_id=actor.company_id, pk=user_id).first()
    if user is None:
        raise ValidationError({"user": [_("No such login.")]})
    return user


def _employee_of(user: User) -> Employee | None:
    return Employee.objects.filter(company_id=user.company_id, user=user).first()


def _other_active_admins(user: User) -> bool:
    return User.objects.filter(company_id=user.company_id, role=Role.ADMIN, is_active=True).exclude(
        pk=user.pk).exists()


@transaction.atomic
def resend_activation(*, actor: User, user_id: int, handover: bool = False) -> Issued:
    """A new activation link (the old ones stop working) for a login not yet activated, or reactivated."""
    require(actor, "configuration.manage_accounts")
    user = _account(actor, user_id)
    if not user.is_active:
        raise ValidationError({"user": [_("This login is deactivated; reactivate it first.")]})
    return _issue(actor, user, _employee_of(user), handover=handover)


@transaction.atomic
def deactivate(*, actor: User, user_id: int) -> User:
    """The login stops working at once: sessions end (the password is discarded, which invalidates every
    session's hash, and inactive users are not loaded), API tokens and activation links are revoked."""
    require(actor, "configuration.manage_accounts")
    user = _account(actor, user_id)
    if user.pk == actor.pk:
        raise ValidationError({"user": [_("You cannot deactivate your own login.")]})
    if not user.is_active:
        raise ValidationError({"user": [_("This login is already deactivated.")]})
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])  # the api app's pre_save revokes the token
    revoked = ActivationToken.objects.filter(user=user, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now())
    evidence.record(user.company_id, actor, "account.deactivated", user,
                    {"username": user.username, "activation_links_revoked": revoked})
    return user


@transaction.atomic
def reactivate(*, actor: User, user_id: int, handover: bool = False) -> Issued:
    """Reactivate a login: it gets a new activation link (the employee chooses a new password)."""
    require(actor, "configuration.manage_accounts")
    user = _account(actor, user_id)
    if user.is_active:
        raise ValidationError({"user": [_("This login is active.")]})
    employee = _employee_of(user)
    if employee is not None and employee.status == EmployeeStatus.LEFT:
        raise ValidationError({"user": [_("%(name)s has left the company.") % {"name": employee.name}]})
    user.is_active = True
    user.save(update_fields=["is_active"])
    evidence.record(user.company_id, actor, "account.reactivated", user, {"username": user.username})
    return _issue(actor, user, employee, handover=handover)


@transaction.atomic
def change_role(*, actor: User, user_id: int, role: str) -> User:
    require(actor, "configuration.manage_accounts")
    _role(role)
    user = _account(actor, user_id)
    if user.role == role:
        raise ValidationError({"role": [_("The login already has this role.")]})
    if user.role == Role.ADMIN and not _other_active_admins(user):
        raise ValidationError({"role": [_("The company must keep at least one active administrator.")]})
    before, user.role = user.role, role
    user.save(update_fields=["role"])
    evidence.record(user.company_id, actor, "account.role_changed", user,
                    {"username": user.username, "from": before, "to": role})
    return user


def token_for(raw: str) -> ActivationToken | None:
    """The open, unexpired activation link for a raw token, else None (unknown, used, revoked, expired)."""
    if not raw or len(raw) > 100:
        return None
    token = ActivationToken.objects.select_related("user").filter(token_hash=digest(raw)).first()
    if token is None or token.used_at or token.revoked_at or token.expires_at <= timezone.now():
        return None
    if not token.user.is_active:
        return None
    return token


@transaction.atomic
def activate(*, raw_token: str, password: str, password2: str) -> User:
    """The employee chooses a password on the link (Django's password validators); the link is used up."""
    token = token_for(raw_token)
    if token is None:
        raise ValidationError({"token": [_("This activation link is invalid, used or expired. Ask your administrator "
                                           "for a new one.")]})
    token = ActivationToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.used_at or token.revoked_at:
        raise ValidationError({"token": [_("This activation link has already been used.")]})
    user = token.user
    if password != password2:
        raise ValidationError({"password2": [_("The two passwords differ.")]})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    evidence.record(user.company_id, user, "account.activated", user, {"username": user.username,
                                                                        "token_id": token.pk})
    return user
