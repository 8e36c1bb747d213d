"""Reusable Textual widgets (case table, timeline, suggestion panel, SLA badge)."""
