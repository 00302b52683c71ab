"""Pages of the activity app (thin: parse, call a selector or service, render)."""
