"""One error type the UI and the CLI can show as is: the message is Vietnamese, for people."""


class CchcError(Exception):
    """An error with a message meant for the user (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFoundError(CchcError):
    """A unit, year, criterion or option that the store does not have."""


class StoreError(CchcError):
    """The store is missing, locked or unreadable."""
