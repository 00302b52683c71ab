"""Feishu / Lark (飞书) bot messages.

``POST /open-apis/auth/v3/tenant_access_token/internal`` with ``app_id``/``app_secret`` → a tenant token
(cached), then ``POST /open-apis/im/v1/messages?receive_id_type=open_id|user_id|union_id|email|chat_id``
with ``Authorization: Bearer <token>``, ``receive_id``, ``msg_type`` and ``content`` (a JSON *string*).
``uuid`` is our idempotency key: Feishu sends at most one message per uuid within an hour."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .base import OutgoingMessage, PermanentDeliveryError, Receipt, TransientDeliveryError, http_json
from .tokens import TokenCache

DEFAULT_BASE_URL = "https://open.feishu.cn"
TOKEN_ERRORS = {99991663, 99991661, 99991668, 99991664}
TRANSIENT_ERRORS = {99991400, 230020, 11232}  # rate limits
RECEIVE_ID_TYPES = {"open_id", "user_id", "union_id", "email", "chat_id"}


class FeishuChannel:
    name = "feishu"

    def __init__(self, settings: dict[str, Any], secret: dict[str, Any]) -> None:
        self.base_url = (settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        self.app_id = settings.get("app_id", "")
        self.receive_id_type = settings.get("receive_id_type", "user_id")
        if self.receive_id_type not in RECEIVE_ID_TYPES:
            raise PermanentDeliveryError(f"Feishu: unsupported receive_id_type {self.receive_id_type}")
        self.app_secret = secret.get("app_secret", "")
        self.tokens = TokenCache("feishu", self.base_url, self.app_id, self._fetch_token)

    def _fetch_token(self) -> tuple[str, int]:
        doc = http_json(
            "POST", f"{self.base_url}/open-apis/auth/v3/tenant_access_token/internal",
            body={"app_id": self.app_id, "app_secret": self.app_secret},
        )
        if doc.get("code", -1) != 0 or not doc.get("tenant_access_token"):
            _raise(doc, "tenant_access_token")
        return str(doc["tenant_access_token"]), int(doc.get("expire", 7200))

    def body_for(self, message: OutgoingMessage) -> dict[str, Any]:
        if message.link:
            content = {
                "zh_cn": {
                    "title": message.subject,
                    "content": [
                        [{"tag": "text", "text": message.text}],
                        [{"tag": "a", "text": "查看详情", "href": message.link}],
                    ],
                }
            }
            msg_type = "post"
        else:
            content = {"text": f"{message.subject}\n{message.text}"}
            msg_type = "text"
        return {
            "receive_id": message.recipient, "msg_type": msg_type,
            "content": json.dumps(content, ensure_ascii=False),
            # uuid: at most 50 characters; a digest keeps long keys unique.
            "uuid": hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:50],
        }

    def send(self, message: OutgoingMessage) -> Receipt:
        body = self.body_for(message)
        url = f"{self.base_url}/open-apis/im/v1/messages"
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.tokens.get()}"}
            doc = http_json("POST", url, query={"receive_id_type": self.receive_id_type}, body=body, headers=headers)
            code = int(doc.get("code", -1))
            if code in TOKEN_ERRORS and attempt == 1:
                self.tokens.invalidate()
                continue
            if code != 0:
                _raise(doc, "im/v1/messages")
            data = doc.get("data") or {}
            return Receipt(provider_message_id=str(data.get("message_id", "")), details={"uuid": body["uuid"]})
        raise TransientDeliveryError("Feishu: access token refused twice")  # pragma: no cover


def _raise(doc: dict[str, Any], what: str) -> None:
    code = int(doc.get("code", -1))
    text = f"Feishu {what} code {code}: {doc.get('msg', '')}"
    if code in TRANSIENT_ERRORS or code in TOKEN_ERRORS or doc.get("_http_status") == 429:
        raise TransientDeliveryError(text, str(code))
    raise PermanentDeliveryError(text, str(code))
