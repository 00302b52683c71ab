"""Aliyun SMS (dysmsapi, API version 2017-05-25) ``SendSms`` with the RPC signature (V1):

1. all parameters except ``Signature`` are percent-encoded (RFC 3986: only ``A-Za-z0-9-_.~`` kept),
   sorted by name and joined as ``k=v&…`` (the canonicalized query);
2. StringToSign = ``GET&%2F&`` + percentEncode(canonicalized query);
3. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).

SMS text comes from an approved template: ``TemplateCode`` per purpose (settings ``templates``, falling
back to ``template_code``) and ``TemplateParam`` JSON. ``OutId`` carries our idempotency key so delivery
reports (``SmsReport``) can be matched back."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.parse
import uuid
from typing import Any

from .base import OutgoingMessage, PermanentDeliveryError, Receipt, TransientDeliveryError, http_json

DEFAULT_BASE_URL = "https://dysmsapi.aliyuncs.com"
TRANSIENT_CODES = {
    "isp.SYSTEM_ERROR", "isv.BUSINESS_LIMIT_CONTROL", "Throttling", "Throttling.User", "Throttling.Api",
    "ServiceUnavailable", "InternalError", "isp.GATEWAY_ERROR",
}


def percent_encode(value: str) -> str:
    return urllib.parse.quote(value, safe="-_.~")


def canonicalized_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def sign(params: dict[str, str], secret: str, method: str = "GET") -> str:
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsChannel:
    name = "sms"

    def __init__(self, settings: dict[str, Any], secret: dict[str, Any]) -> None:
        self.base_url = (settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        self.sign_name = settings.get("sign_name", "")
        self.templates: dict[str, str] = settings.get("templates", {})
        self.template_code = settings.get("template_code", "")
        self.region = settings.get("region", "cn-hangzhou")
        self.access_key_id = secret.get("access_key_id", "")
        self.access_key_secret = secret.get("access_key_secret", "")

    def params_for(self, message: OutgoingMessage, now: dt.datetime | None = None) -> dict[str, str]:
        now = now or dt.datetime.now(dt.UTC)
        template = self.templates.get(message.purpose) or self.template_code
        if not template:
            raise PermanentDeliveryError(f"no SMS template configured for purpose '{message.purpose}'")
        template_params = {"subject": message.subject[:35]}
        if message.link:
            template_params["link"] = message.link
        return {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": message.idempotency_key[:64],
            "PhoneNumbers": message.recipient,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(template_params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def send(self, message: OutgoingMessage) -> Receipt:
        params = self.params_for(message)
        params["Signature"] = sign(params, self.access_key_secret)
        doc = http_json("GET", f"{self.base_url}/", query=params)
        code = str(doc.get("Code", ""))
        if code == "OK":
            return Receipt(
                provider_message_id=str(doc.get("BizId", "")),
                details={"request_id": doc.get("RequestId", ""), "out_id": params["OutId"]},
            )
        text = f"Aliyun SMS {code}: {doc.get('Message', '')}"
        if code in TRANSIENT_CODES:
            raise TransientDeliveryError(text, code)
        raise PermanentDeliveryError(text, code)
