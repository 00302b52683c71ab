"""Each provider adapter against a local fake server that checks the request like the provider does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from typing import Any

import pytest

from hrguard.notify.channels import OutgoingMessage, PermanentDeliveryError, TransientDeliveryError
from hrguard.notify.channels.aliyun_sms import AliyunSmsChannel, sign
from hrguard.notify.channels.dingtalk import DingTalkChannel
from hrguard.notify.channels.feishu import FeishuChannel
from hrguard.notify.channels.wecom import WeComChannel

from .fakes import FakeProvider, Request


def test_aliyun_signature_matches_documented_example() -> None:
    # The worked example in Aliyun's "RPC signature" documentation for SendSms.
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
        "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
    }
    assert sign(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def _aliyun_verify(req: Request, secret: str) -> bool:
    """Server-side check, written independently: rebuild StringToSign from the received query."""
    params = dict(req.query)
    got = params.pop("Signature")

    def enc(v: str) -> str:
        return urllib.parse.quote(v, safe="~").replace("+", "%20").replace("*", "%2A")

    canon = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    sts = "GET&%2F&" + enc(canon)
    want = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return hmac.compare_digest(got, want)


def _sms(provider: FakeProvider) -> AliyunSmsChannel:
    return AliyunSmsChannel(
        {"base_url": provider.base_url, "sign_name": "甲公司", "template_code": "SMS_100", "templates": {"otp": "SMS_200"}},
        {"access_key_id": "LTAI-test", "access_key_secret": "s3cret"},
    )


def test_aliyun_sms_sends_signed_request(provider: FakeProvider) -> None:
    nonces: set[str] = set()

    def send_sms(req: Request) -> tuple[int, Any]:
        if not _aliyun_verify(req, "s3cret"):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        assert req.query["SignatureNonce"] not in nonces
        nonces.add(req.query["SignatureNonce"])
        phone = req.query["PhoneNumbers"]
        if not (phone.isdigit() and len(phone) == 11):
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "R2"}
        if phone == "13800000429":
            return 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控", "RequestId": "R3"}
        return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "R1"}

    provider.routes[("GET", "/")] = send_sms
    channel = _sms(provider)
    receipt = channel.send(OutgoingMessage("k1", "13800138000", "合同到期提醒", "…", link="https://hr.example/x"))
    assert receipt.provider_message_id == "900619746936498440^0"
    req = provider.requests[-1]
    assert req.query["Action"] == "SendSms" and req.query["Version"] == "2017-05-25"
    assert req.query["TemplateCode"] == "SMS_100" and req.query["SignName"] == "甲公司"
    assert json.loads(req.query["TemplateParam"]) == {"subject": "合同到期提醒", "link": "https://hr.example/x"}
    assert req.query["OutId"] == "k1"
    assert req.query["Timestamp"].endswith("Z")

    channel.send(OutgoingMessage("k2", "13800138000", "验证码", "…", purpose="otp"))
    assert provider.requests[-1].query["TemplateCode"] == "SMS_200"

    with pytest.raises(PermanentDeliveryError) as bad:
        channel.send(OutgoingMessage("k3", "12345", "x", "y"))
    assert bad.value.code == "isv.MOBILE_NUMBER_ILLEGAL"
    with pytest.raises(TransientDeliveryError):
        channel.send(OutgoingMessage("k4", "13800000429", "x", "y"))

    wrong = AliyunSmsChannel(
        {"base_url": provider.base_url, "sign_name": "甲公司", "template_code": "SMS_100"},
        {"access_key_id": "LTAI-test", "access_key_secret": "wrong"},
    )
    with pytest.raises(PermanentDeliveryError) as sig:
        wrong.send(OutgoingMessage("k5", "13800138000", "x", "y"))
    assert sig.value.code == "SignatureDoesNotMatch"


def test_server_errors_and_network_errors_are_transient(provider: FakeProvider) -> None:
    provider.routes[("GET", "/")] = lambda req: (503, b"<html>busy</html>")
    with pytest.raises(TransientDeliveryError):
        _sms(provider).send(OutgoingMessage("k", "13800138000", "x", "y"))
    dead = AliyunSmsChannel(
        {"base_url": "http://127.0.0.1:9", "sign_name": "s", "template_code": "T"},
        {"access_key_id": "a", "access_key_secret": "b"},
    )
    with pytest.raises(TransientDeliveryError):
        dead.send(OutgoingMessage("k", "13800138000", "x", "y"))


class TokenServer:
    """Issues numbered tokens; ``valid`` is the one the send endpoint accepts."""

    def __init__(self) -> None:
        self.issued = 0
        self.valid = ""

    def issue(self) -> str:
        self.issued += 1
        self.valid = f"TOKEN-{self.issued}"
        return self.valid


def test_wecom_token_cached_refreshed_once_and_errors(provider: FakeProvider) -> None:
    tokens = TokenServer()

    def gettoken(req: Request) -> tuple[int, Any]:
        if req.query != {"corpid": "ww-corp", "corpsecret": "corp-secret"}:
            return 200, {"errcode": 40001, "errmsg": "invalid credential"}
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": tokens.issue(), "expires_in": 7200}

    def send(req: Request) -> tuple[int, Any]:
        if req.query.get("access_token") != tokens.valid:
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        body = req.json()
        assert body["agentid"] == 1000002
        if body["touser"] == "ghost":
            return 200, {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
        if body["touser"] == "busy":
            return 200, {"errcode": -1, "errmsg": "system busy"}
        assert body["msgtype"] in ("text", "textcard")
        return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"msg-{len(provider.requests)}"}

    provider.routes[("GET", "/cgi-bin/gettoken")] = gettoken
    provider.routes[("POST", "/cgi-bin/message/send")] = send
    channel = WeComChannel({"base_url": provider.base_url, "corp_id": "ww-corp", "agent_id": "1000002"},
                           {"corp_secret": "corp-secret"})

    r1 = channel.send(OutgoingMessage("k1", "ZhangSan", "合同到期提醒", "请查看"))
    r2 = channel.send(OutgoingMessage("k2", "ZhangSan", "合同到期提醒", "请查看", link="https://hr.example/c/7"))
    assert r1.provider_message_id and r2.provider_message_id
    assert len(provider.hits("/cgi-bin/gettoken")) == 1  # cached
    card = provider.hits("/cgi-bin/message/send")[-1].json()
    assert card["msgtype"] == "textcard" and card["textcard"]["url"] == "https://hr.example/c/7"
    assert card["enable_duplicate_check"] == 1

    tokens.issue()  # the provider rotated the token: ours now answers 42001
    channel.send(OutgoingMessage("k3", "ZhangSan", "x", "y"))
    assert len(provider.hits("/cgi-bin/gettoken")) == 2  # refreshed once, then succeeded

    with pytest.raises(PermanentDeliveryError) as ghost:
        channel.send(OutgoingMessage("k4", "ghost", "x", "y"))
    assert ghost.value.code == "81013"
    with pytest.raises(TransientDeliveryError):
        channel.send(OutgoingMessage("k5", "busy", "x", "y"))

    bad = WeComChannel({"base_url": provider.base_url, "corp_id": "other", "agent_id": 1}, {"corp_secret": "x"})
    with pytest.raises(PermanentDeliveryError):
        bad.send(OutgoingMessage("k6", "ZhangSan", "x", "y"))


def test_wecom_token_refused_twice_is_not_a_loop(provider: FakeProvider) -> None:
    provider.routes[("GET", "/cgi-bin/gettoken")] = lambda req: (200, {"errcode": 0, "access_token": "T", "expires_in": 7200})
    provider.routes[("POST", "/cgi-bin/message/send")] = lambda req: (200, {"errcode": 40014, "errmsg": "invalid access_token"})
    channel = WeComChannel({"base_url": provider.base_url, "corp_id": "c", "agent_id": 1}, {"corp_secret": "s"})
    with pytest.raises(TransientDeliveryError):
        channel.send(OutgoingMessage("k", "u", "x", "y"))
    assert len(provider.hits("/cgi-bin/message/send")) == 2


def test_dingtalk_work_notice(provider: FakeProvider) -> None:
    tokens = TokenServer()

    def gettoken(req: Request) -> tuple[int, Any]:
        assert req.query == {"appkey": "ding-app", "appsecret": "ding-secret"}
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": tokens.issue(), "expires_in": 7200}

    def asyncsend(req: Request) -> tuple[int, Any]:
        if req.query.get("access_token") != tokens.valid:
            return 200, {"errcode": 40014, "errmsg": "不合法的access_token"}
        body = req.json()
        assert body["agent_id"] == 2001
        if body["userid_list"] == "nobody":
            return 200, {"errcode": 33012, "errmsg": "无效的USERID"}
        if body["userid_list"] == "flood":
            return 200, {"errcode": 90018, "errmsg": "api调用频率超限"}
        return 200, {"errcode": 0, "errmsg": "ok", "task_id": 256271667526, "request_id": "4jzllmte0wau"}

    provider.routes[("GET", "/gettoken")] = gettoken
    provider.routes[("POST", "/topapi/message/corpconversation/asyncsend_v2")] = asyncsend
    channel = DingTalkChannel({"base_url": provider.base_url, "app_key": "ding-app", "agent_id": 2001},
                              {"app_secret": "ding-secret"})
    receipt = channel.send(OutgoingMessage("k1", "manager0123", "试用期到期", "请评估", link="https://hr.example/p/1"))
    assert receipt.provider_message_id == "256271667526"
    body = provider.hits("/topapi/message/corpconversation/asyncsend_v2")[-1].json()
    assert body["msg"]["msgtype"] == "action_card" and body["msg"]["action_card"]["single_url"] == "https://hr.example/p/1"

    tokens.issue()
    channel.send(OutgoingMessage("k2", "manager0123", "x", "y"))
    assert len(provider.hits("/gettoken")) == 2
    with pytest.raises(PermanentDeliveryError):
        channel.send(OutgoingMessage("k3", "nobody", "x", "y"))
    with pytest.raises(TransientDeliveryError):
        channel.send(OutgoingMessage("k4", "flood", "x", "y"))


def test_feishu_message_with_uuid(provider: FakeProvider) -> None:
    tokens = TokenServer()
    seen_uuids: dict[str, str] = {}

    def tenant_token(req: Request) -> tuple[int, Any]:
        if req.json() != {"app_id": "cli_a1", "app_secret": "fs-secret"}:
            return 200, {"code": 10014, "msg": "app secret invalid"}
        return 200, {"code": 0, "msg": "ok", "tenant_access_token": tokens.issue(), "expire": 7200}

    def messages(req: Request) -> tuple[int, Any]:
        if req.headers.get("authorization") != f"Bearer {tokens.valid}":
            return 400, {"code": 99991663, "msg": "Invalid access token for authorization."}
        assert req.query == {"receive_id_type": "user_id"}
        body = req.json()
        content = json.loads(body["content"])  # content is a JSON string inside the JSON body
        assert body["msg_type"] in ("text", "post") and content
        assert len(body["uuid"]) <= 50
        if body["receive_id"] == "unknown":
            return 400, {"code": 230013, "msg": "Bot has NO availability to this user."}
        if body["receive_id"] == "hot":
            return 429, {"code": 99991400, "msg": "request trigger frequency limit"}
        # Feishu sends at most one message per uuid: a repeat returns the same message.
        mid = seen_uuids.setdefault(body["uuid"], f"om_{len(seen_uuids) + 1}")
        return 200, {"code": 0, "msg": "success", "data": {"message_id": mid, "chat_id": "oc_1"}}

    provider.routes[("POST", "/open-apis/auth/v3/tenant_access_token/internal")] = tenant_token
    provider.routes[("POST", "/open-apis/im/v1/messages")] = messages
    channel = FeishuChannel({"base_url": provider.base_url, "app_id": "cli_a1"}, {"app_secret": "fs-secret"})
    first = channel.send(OutgoingMessage("key-1", "u123", "合同到期提醒", "请查看", link="https://hr.example/c"))
    again = channel.send(OutgoingMessage("key-1", "u123", "合同到期提醒", "请查看", link="https://hr.example/c"))
    assert first.provider_message_id == again.provider_message_id == "om_1"

    tokens.issue()
    assert channel.send(OutgoingMessage("key-2", "u123", "x", "y")).provider_message_id == "om_2"
    assert len(provider.hits("/open-apis/auth/v3/tenant_access_token/internal")) == 2
    with pytest.raises(PermanentDeliveryError) as unknown:
        channel.send(OutgoingMessage("key-3", "unknown", "x", "y"))
    assert unknown.value.code == "230013"
    with pytest.raises(TransientDeliveryError):
        channel.send(OutgoingMessage("key-4", "hot", "x", "y"))
