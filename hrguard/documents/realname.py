"""Real-name verification before signing (实名核验, 三要素: name + ID number + mobile number).

Provider adapter over HTTP. The shape is the one most Chinese carrier three-element APIs sold on the
Aliyun API market (云市场「运营商三要素核验」) use; ``HRGUARD_REALNAME_URL`` points at it and
``HRGUARD_REALNAME_APPCODE`` holds the buyer's AppCode:

* request: ``POST <url>``, header ``Authorization: APPCODE <appcode>``, form-encoded body
  ``name=<姓名>&idcard=<身份证号>&mobile=<手机号>``;
* response (JSON): ``{"code": 200, "msg": "成功", "taskNo": "<provider's request number>",
  "data": {"result": "0", "desc": "一致"}}`` — ``result`` ``"0"`` the three agree, ``"1"`` they do not,
  ``"2"`` no record; any other ``code`` is an error of the call (bad AppCode, quota, malformed input).

Without ``HRGUARD_REALNAME_URL`` no provider is configured: the check is skipped and the evidence says so.
``HRGUARD_REALNAME_PROVIDER`` may name another class with the same ``verify`` method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings

MATCH, MISMATCH, NO_RECORD, ERROR = "match", "mismatch", "no_record", "error"


@dataclass(frozen=True)
class RealNameResult:
    outcome: str
    """``match``, ``mismatch``, ``no_record`` or ``error``."""
    provider: str
    request_no: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == MATCH


class RealNameProvider(Protocol):
    name: str

    def verify(self, *, name: str, id_number: str, mobile: str) -> RealNameResult: ...


class AppCodeThreeElements:
    """The Aliyun-market style three-element check described in the module docstring."""

    name = "appcode-3elements"

    def __init__(self, url: str, appcode: str, timeout: float = 10.0) -> None:
        self.url = url
        self.appcode = appcode
        self.timeout = timeout

    def verify(self, *, name: str, id_number: str, mobile: str) -> RealNameResult:
        try:
            res = requests.post(self.url, data={"name": name, "idcard": id_number, "mobile": mobile},
                                headers={"Authorization": f"APPCODE {self.appcode}"}, timeout=self.timeout)
            body = res.json()
        except (OSError, ValueError) as exc:
            return RealNameResult(ERROR, self.name, detail=f"provider unreachable or malformed reply: {exc}"[:300])
        if not isinstance(body, dict) or str(body.get("code")) != "200" or not isinstance(body.get("data"), dict):
            msg = body.get("msg", "") if isinstance(body, dict) else ""
            return RealNameResult(ERROR, self.name, detail=f"HTTP {res.status_code} {msg}"[:300])
        result = str(body["data"].get("result", ""))
        outcome = {"0": MATCH, "1": MISMATCH, "2": NO_RECORD}.get(result, ERROR)
        return RealNameResult(outcome, self.name, request_no=str(body.get("taskNo", ""))[:100],
                              detail=str(body["data"].get("desc", ""))[:100])


def configured_provider() -> RealNameProvider | None:
    custom = getattr(settings, "HRGUARD_REALNAME_PROVIDER", None)
    if custom:
        from django.utils.module_loading import import_string

        return import_string(custom)()  # type: ignore[no-any-return]
    url = getattr(settings, "HRGUARD_REALNAME_URL", None)
    if not url:
        return None
    return AppCodeThreeElements(url, getattr(settings, "HRGUARD_REALNAME_APPCODE", "") or "")
