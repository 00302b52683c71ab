"""DingTalk (钉钉) work notices.

``GET /gettoken?appkey=…&appsecret=…`` → ``access_token`` (cached), then
``POST /topapi/message/corpconversation/asyncsend_v2?access_token=…`` with ``agent_id``, ``userid_list``
and ``msg`` (``text``, or ``action_card`` when there is a link). The answer's ``task_id`` is the provider
message id (``getsendresult`` reports per-user delivery)."""

from __future__ import annotations

from typing import Any

from .base import OutgoingMessage, PermanentDeliveryError, Receipt, TransientDeliveryError, http_json
from .tokens import TokenCache

DEFAULT_BASE_URL = "https://oapi.dingtalk.com"
TOKEN_ERRORS = {42001, 40014, 88}
TRANSIENT_ERRORS = {-1, 90002, 90006, 90018, 143103}  # system busy and rate limits


class DingTalkChannel:
    name = "dingtalk"

    def __init__(self, settings: dict[str, Any], secret: dict[str, Any]) -> None:
        self.base_url = (settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        self.app_key = settings.get("app_key", "")
        self.agent_id = int(settings.get("agent_id", 0) or 0)
        self.app_secret = secret.get("app_secret", "")
        self.tokens = TokenCache("dingtalk", self.base_url, self.app_key, self._fetch_token)

    def _fetch_token(self) -> tuple[str, int]:
        query = {"appkey": self.app_key, "appsecret": self.app_secret}
        doc = http_json("GET", f"{self.base_url}/gettoken", query=query)
        if doc.get("errcode", 0) != 0 or not doc.get("access_token"):
            _raise(doc, "gettoken")
        return str(doc["access_token"]), int(doc.get("expires_in", 7200))

    def body_for(self, message: OutgoingMessage) -> dict[str, Any]:
        if message.link:
            msg: dict[str, Any] = {
                "msgtype": "action_card",
                "action_card": {
                    "title": message.subject[:64], "markdown": f"### {message.subject}\n\n{message.text}",
                    "single_title": "查看详情", "single_url": message.link,
                },
            }
        else:
            msg = {"msgtype": "text", "text": {"content": f"{message.subject}\n{message.text}"}}
        return {"agent_id": self.agent_id, "userid_list": message.recipient, "msg": msg}

    def send(self, message: OutgoingMessage) -> Receipt:
        body = self.body_for(message)
        url = f"{self.base_url}/topapi/message/corpconversation/asyncsend_v2"
        for attempt in (1, 2):
            doc = http_json("POST", url, query={"access_token": self.tokens.get()}, body=body)
            errcode = int(doc.get("errcode", -1))
            if errcode in TOKEN_ERRORS and attempt == 1:
                self.tokens.invalidate()
                continue
            if errcode != 0:
                _raise(doc, "asyncsend_v2")
            return Receipt(
                provider_message_id=str(doc.get("task_id", "")), details={"request_id": doc.get("request_id", "")}
            )
        raise TransientDeliveryError("DingTalk: access token refused twice")  # pragma: no cover


def _raise(doc: dict[str, Any], what: str) -> None:
    errcode = int(doc.get("errcode", -1))
    text = f"DingTalk {what} errcode {errcode}: {doc.get('errmsg', '')}"
    if errcode in TRANSIENT_ERRORS or errcode in TOKEN_ERRORS:
        raise TransientDeliveryError(text, str(errcode))
    raise PermanentDeliveryError(text, str(errcode))
