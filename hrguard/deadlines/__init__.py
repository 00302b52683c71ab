"""Durable deadlines: timers as rows, swept periodically (below notify, documents and the engine)."""
