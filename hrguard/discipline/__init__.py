"""Violations and discipline, escalation ladder, client complaints."""
