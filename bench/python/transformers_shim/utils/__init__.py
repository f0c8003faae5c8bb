"""Decorators and types the official files import from ``transformers.utils``."""

from . import logging
from .generic import (
    ModelOutput,
    TransformersKwargs,
    auto_docstring,
    can_return_tuple,
    filter_out_non_signature_kwargs,
)

__all__ = [
    "ModelOutput",
    "TransformersKwargs",
    "auto_docstring",
    "can_return_tuple",
    "filter_out_non_signature_kwargs",
    "logging",
]
