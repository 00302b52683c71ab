"""Append-only evidence log: one hash chain (and one RFC 6962 Merkle tree) per company."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceEvent(models.Model):
    """One event. ``record`` is the canonical JSON that was hashed — the other columns are copies for
    querying, and ``hrguard verify`` checks each copy against the record. Rows are never updated or
    deleted (triggers refuse it on SQLite and PostgreSQL; on PostgreSQL the runtime role also lacks the
    privilege)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    employee_id = models.BigIntegerField(null=True, blank=True)  # whom the event concerns (timeline)
    record = models.TextField()
    hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        constraints = [models.UniqueConstraint(fields=["company", "seq"], name="uniq_evidence_seq")]
        indexes = [
            models.Index(fields=["company", "subject_type", "subject_id", "seq"], name="evidence_subject"),
            models.Index(fields=["company", "employee_id", "seq"], name="evidence_employee"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class ChainHead(models.Model):
    """The tip of a company's chain; locked (SELECT … FOR UPDATE) while appending."""

    company = models.OneToOneField("core.Company", on_delete=models.PROTECT, primary_key=True, related_name="+")
    size = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)


class Checkpoint(models.Model):
    """A signed tree head: the company's log of ``tree_size`` events hashes to ``root``."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    tree_size = models.BigIntegerField()
    root = models.CharField(max_length=64)
    issued_at = models.CharField(max_length=32)
    statement = models.TextField()
    signature = models.TextField()  # hex DER ECDSA
    certificate = models.TextField()  # PEM of the signing certificate
    timestamp_token = models.TextField(blank=True)  # hex DER RFC 3161 TimeStampToken, if any
    # Version 2 statements name the previous checkpoint (size + root); this is the RFC 6962 consistency
    # proof from it to this one (JSON list of hex hashes), so each checkpoint vouches for the last.
    consistency = models.TextField(blank=True, default="")
    # Events the issuance itself appended (its evidence event and the admins' notifications): a log
    # that grew by only these is "up to date".
    own_events = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("evidence checkpoint")
        indexes = [models.Index(fields=["company", "tree_size"], name="checkpoint_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size} {self.root[:12]}"
