"""Plain-Python domain: vocabulary of DOMAIN.md and the case workflow."""
