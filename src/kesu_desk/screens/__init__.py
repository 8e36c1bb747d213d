"""Textual screens: one module per screen (intake, queue, case detail, approvals, survey)."""
