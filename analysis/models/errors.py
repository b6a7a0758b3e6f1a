"""The one error a model file can raise when it is loaded."""

from __future__ import annotations


class ModelFileError(ValueError):
    """A model file is missing, corrupt, or does not match its companion file or this code.

    The message names the file, so a deployment that lost or damaged a model says which.
    """
