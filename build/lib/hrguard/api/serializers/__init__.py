"""API serializers: output serializers shape rows (read-only); input serializers only parse —
the services validate."""
