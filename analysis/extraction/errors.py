"""The one exception the extraction package raises on bad input."""

from __future__ import annotations


class ArticleError(ValueError):
    """An article that cannot be read: names the offending field and says why.

    `field` is the input field at fault ("body", "published_at", "url", "format", ...)
    so an API can put the message next to the right form field.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
