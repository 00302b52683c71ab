"""Platform layer: shared building blocks below every domain app (no domain imports)."""
