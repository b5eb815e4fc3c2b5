"""The library's two errors: a bad option (refused before any work) and a failed render."""

from __future__ import annotations

from sgd_anim.echo import one_line


class OptionError(ValueError):
    """A bad option, in one line naming it (the command line prints it and exits 2).

    `option` is the keyword at fault (`lr`, `output`), or None when no single option
    is (two options that cannot go together name themselves in the message).
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message, self.option = message, option

    def __str__(self) -> str:
        if self.option is None:
            return self.message
        return f"Invalid value for {self.option!r}: {self.message}"


class RenderError(RuntimeError):
    """Rendering or saving failed after the options were accepted (exit 1)."""
