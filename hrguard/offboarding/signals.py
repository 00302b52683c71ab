"""Signals other apps listen to (``integrations``' webhooks, ``exitdocs``' exports).

After commit (receivers run outside the transaction: write durable rows in their own, never call out):

``exit_completed`` — sent after the transaction that completes an exit commits (the employment has
ended and the exit process with all its gates is done). kwargs: ``exit`` (an ``offboarding.Exit``, with
``employee`` loaded), ``company_id``.

``employment_ended`` — sent after commit when the statutory last day has passed and the employee became
a former employee (already 已离职 even if the exit process is still blocked by a gate). Same kwargs.

Inside the transaction (``*_tx``; kwargs ``exit``, ``company_id``, ``actor``): sent by the service in the
transaction of the change, so a receiver's rows (an outbox of webhook deliveries) commit or roll back with
it — nothing is lost between the commit and a receiver. A receiver must not call out or raise for
anything but a bug (an exception rolls the change back).

``exit_started_tx`` — an exit was started (HR, or the employee's resignation in self-service).
``employment_ended_tx`` — the employment ended (same moment as ``employment_ended``).
``exit_completed_tx`` — the exit completed (same moment as ``exit_completed``)."""

from django.dispatch import Signal

exit_completed = Signal()
employment_ended = Signal()

exit_started_tx = Signal()
employment_ended_tx = Signal()
exit_completed_tx = Signal()
