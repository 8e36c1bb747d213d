"""kesu-desk: a keyboard-first terminal service desk for customer complaints."""

__version__ = "0.1.0"
