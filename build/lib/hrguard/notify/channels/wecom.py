"""WeChat Work (企业微信) application messages.

``GET /cgi-bin/gettoken?corpid=…&corpsecret=…`` → ``access_token`` (cached), then
``POST /cgi-bin/message/send?access_token=…`` with ``touser``, ``agentid`` and a ``text`` or ``textcard``
message. Token expiry (42001) or an invalid token (40014, 40001 after rotation) refreshes once."""

from __future__ import annotations

from typing import Any

from .base import OutgoingMessage, PermanentDeliveryError, Receipt, TransientDeliveryError, http_json
from .tokens import TokenCache

DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com"
TOKEN_ERRORS = {42001, 40014}
TRANSIENT_ERRORS = {-1, 45009, 45033, 45047}  # system busy; API, concurrency and per-user rate limits


class WeComChannel:
    name = "wecom"

    def __init__(self, settings: dict[str, Any], secret: dict[str, Any]) -> None:
        self.base_url = (settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        self.corp_id = settings.get("corp_id", "")
        self.agent_id = int(settings.get("agent_id", 0) or 0)
        self.corp_secret = secret.get("corp_secret", "")
        self.tokens = TokenCache("wecom", self.base_url, f"{self.corp_id}:{self.agent_id}", self._fetch_token)

    def _fetch_token(self) -> tuple[str, int]:
        doc = http_json(
            "GET", f"{self.base_url}/cgi-bin/gettoken", query={"corpid": self.corp_id, "corpsecret": self.corp_secret}
        )
        if doc.get("errcode", 0) != 0 or not doc.get("access_token"):
            _raise(doc, "gettoken")
        return str(doc["access_token"]), int(doc.get("expires_in", 7200))

    def body_for(self, message: OutgoingMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "touser": message.recipient, "agentid": self.agent_id, "safe": 0,
            "enable_duplicate_check": 1, "duplicate_check_interval": 1800,
        }
        if message.link:
            body["msgtype"] = "textcard"
            body["textcard"] = {
                "title": message.subject[:128], "description": message.text[:512], "url": message.link,
                "btntxt": "详情",
            }
        else:
            body["msgtype"] = "text"
            body["text"] = {"content": f"{message.subject}\n{message.text}"[:2000]}
        return body

    def send(self, message: OutgoingMessage) -> Receipt:
        body = self.body_for(message)
        for attempt in (1, 2):
            token = self.tokens.get()
            doc = http_json("POST", f"{self.base_url}/cgi-bin/message/send", query={"access_token": token}, body=body)
            errcode = int(doc.get("errcode", -1))
            if errcode in TOKEN_ERRORS and attempt == 1:
                self.tokens.invalidate()
                continue
            if errcode != 0:
                _raise(doc, "message/send")
            if doc.get("invaliduser"):
                raise PermanentDeliveryError(f"WeChat Work: invalid user {doc['invaliduser']}", "invaliduser")
            return Receipt(provider_message_id=str(doc.get("msgid", "")), details={"errmsg": doc.get("errmsg", "")})
        raise TransientDeliveryError("WeChat Work: access token refused twice")  # pragma: no cover


def _raise(doc: dict[str, Any], what: str) -> None:
    errcode = int(doc.get("errcode", -1))
    text = f"WeChat Work {what} errcode {errcode}: {doc.get('errmsg', '')}"
    if errcode in TRANSIENT_ERRORS or errcode in TOKEN_ERRORS:
        raise TransientDeliveryError(text, str(errcode))
    raise PermanentDeliveryError(text, str(errcode))
