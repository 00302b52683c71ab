"""Facts and actions for the record apps below the engine (leave, expenses, discipline…), which cannot
import it: the engine registers them here, calling those apps' services (the arrow points down).
Importing this package (``WorkflowsConfig.ready``) registers them all, and the engine behind the ports
``hrguard.records.processes`` (single decisions: leave, trips, claims; step by step: discipline)."""

from . import discipline, expenses, leave, records  # noqa: F401
