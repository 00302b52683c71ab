"""The process engine (to come): templates as data, instances, tasks — above documents and the records.
Durable timers are ``hrguard.deadlines``."""
