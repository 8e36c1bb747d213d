"""The rules service: suggestions with their reasons (its own issue)."""
