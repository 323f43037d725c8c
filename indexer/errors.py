"""Small exceptions whose message (Vietnamese, user-facing) says what to do."""

from __future__ import annotations


class TracuuError(Exception):
    """Base class; ``str(err)`` is a complete Vietnamese message for the user."""


class LoadError(TracuuError):
    """A file could not be loaded. ``reason`` is a stable machine-readable code."""

    def __init__(self, path: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class IndexError_(TracuuError):
    """The index is missing, corrupt, or was built with another model."""


class SettingsError(TracuuError):
    """A TRACUU_* setting has an invalid value."""
