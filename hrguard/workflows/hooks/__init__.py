"""Facts and actions for the record apps below the engine (leave, expenses…), which cannot import it:
the engine registers them here, calling those apps' services (the arrow points down). Importing this
package (``WorkflowsConfig.ready``) registers them all."""

from . import discipline, expenses, leave, records  # noqa: F401
