"""Evidence action labels: exact labels, composed fallbacks, Chinese for documents."""

from __future__ import annotations

from django.utils.translation import override

from hrguard.evidence import labels


def test_known_action_is_translated():
    with override("en"):
        assert labels.label("sensitive.read") == "Sensitive field viewed"
    assert labels.label_zh("sensitive.read") != "Sensitive field viewed"


def test_unknown_action_is_composed_from_subject_and_verb():
    with override("en"):
        assert labels.label("violation.investigated") == "Violation: investigated"
        assert labels.label("whatever.signed") == "whatever.signed: signed"
        assert labels.label("whatever.frobbed") == "whatever.frobbed"


def test_register_overrides():
    labels.register({"test.special": "Special"})
    assert labels.label("test.special") == "Special"
