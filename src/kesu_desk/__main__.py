"""Entry point for ``python -m kesu_desk``."""

from kesu_desk.cli import main

raise SystemExit(main())
