"""The record apps share the fixtures of tests/records (users, a populated set of records)."""

from tests.records.conftest import *  # noqa: F403
