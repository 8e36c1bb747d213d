"""Errors a user can meet. Each carries a message code and its parameters; the interface turns
them into a sentence in the user's language (``kesu_desk.i18n``)."""

from __future__ import annotations

from typing import Any


class DeskError(Exception):
    # The catalogue namespace of the message: ``<catalogue>.<code>`` (kesu_desk.i18n.describe).
    catalogue = "error"

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}" if params else code)


class WorkflowError(DeskError):
    """An action the workflow refuses: wrong role, wrong state, missing field, four-eyes…"""


class ConflictError(DeskError):
    """The case changed since the user opened it; nothing was written."""


class NotFoundError(DeskError):
    pass


class InvalidInput(DeskError):
    """Input that fails validation; ``params['errors']`` maps field names to message codes."""


class AccessDenied(DeskError):
    """The person acting may not see or do this (domain/access.py); nothing was read or written."""

    catalogue = "access"


class DealerError(DeskError):
    """Issue 13, dealers: a refused dealer or allowance action."""


class WorkbookProblem(DeskError):
    """An Excel workbook that cannot be written as asked (issue 17)."""

    catalogue = "workbook"


class SshKeyProblem(DeskError):
    """A public key that cannot be given or taken away (issue 17, the desk's SSH server)."""

    catalogue = "ssh"


class DealerFlowProblem(DealerError):
    """Issue 13, dealers in the case's work: a refused contract, hand-over or part sent."""

    catalogue = "dealers.error"


class StoreProblem(DeskError):
    """A store that is unknown, retired, or a wrong store field (issue 13)."""

    catalogue = "stores"
