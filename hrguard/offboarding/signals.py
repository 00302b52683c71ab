"""Signals other apps listen to (``exitdocs``' webhooks and exports).

``exit_completed`` — sent after the transaction that completes an exit commits (the employment has
ended and the exit process with all its gates is done). kwargs: ``exit`` (an ``offboarding.Exit``, with
``employee`` loaded), ``company_id``. Receivers run outside that transaction: write durable rows
(outbox, deadlines) in their own, never call out directly.

``employment_ended`` — sent after commit when the statutory last day has passed and the employee became
a former employee (already 已离职 even if the exit process is still blocked by a gate). Same kwargs."""

from django.dispatch import Signal

exit_completed = Signal()
employment_ended = Signal()
