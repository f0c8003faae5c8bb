"""Output container and forward-method decorators, with transformers' inference-time behaviour."""

import functools
import inspect
import warnings
from collections import OrderedDict
from dataclasses import fields
from typing import Optional, TypedDict


class ModelOutput(OrderedDict):
    """Base of the output dataclasses: fields readable as attributes, by name, or by position over the set fields.

    As in transformers, only fields that are not None are entries of the dict (so ``output[1]`` of a
    ``BaseModelOutputWithPooling`` is ``pooler_output`` when it is set).
    """

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                self[field.name] = value

    def __getitem__(self, key):
        if isinstance(key, str):
            return dict(self.items())[key]
        return self.to_tuple()[key]

    def to_tuple(self) -> tuple:
        return tuple(self[k] for k in self.keys())


class TransformersKwargs(TypedDict, total=False):
    """Keyword arguments a transformers forward may pass down; only used in annotations here."""

    output_attentions: Optional[bool]
    output_hidden_states: Optional[bool]


def auto_docstring(obj=None, **_doc_parts):
    """Transformers fills in docstrings with this; usable bare or with keywords, it returns the object unchanged."""
    if obj is None:
        return lambda target: target
    return obj


def can_return_tuple(forward):
    """Accept ``return_dict=`` (defaulting to ``config.return_dict``) and return a tuple when it is False."""

    @functools.wraps(forward)
    def wrapper(self, *args, **kwargs):
        return_dict = getattr(getattr(self, "config", None), "return_dict", True)
        passed = kwargs.pop("return_dict", None)
        if passed is not None:
            return_dict = passed
        output = forward(self, *args, **kwargs)
        if not return_dict and not isinstance(output, tuple):
            output = output.to_tuple()
        return output

    return wrapper


def check_model_inputs(forward):
    """Transformers records hidden states/attentions through hooks here; the shim does not, so it refuses those."""

    @functools.wraps(forward)
    def wrapper(self, *args, **kwargs):
        for flag in ("output_attentions", "output_hidden_states"):
            if kwargs.get(flag):
                raise NotImplementedError(f"{flag}=True needs transformers' output recording, not in the shim")
        return can_return_tuple(forward)(self, *args, **kwargs)

    return wrapper


def filter_out_non_signature_kwargs(extra: Optional[list] = None):
    """Drop (with a warning) keyword arguments the decorated function does not declare, as transformers does."""
    allowed_extra = set(extra or [])

    def decorator(function):
        allowed = set(inspect.signature(function).parameters) | allowed_extra

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            ignored = [k for k in kwargs if k not in allowed]
            if ignored:
                warnings.warn(
                    f"arguments not valid for `{function.__qualname__}` were ignored: {', '.join(ignored)}",
                    UserWarning,
                    stacklevel=2,
                )
            return function(*args, **{k: v for k, v in kwargs.items() if k in allowed})

        return wrapper

    return decorator


__all__ = [
    "ModelOutput",
    "TransformersKwargs",
    "auto_docstring",
    "can_return_tuple",
    "check_model_inputs",
    "filter_out_non_signature_kwargs",
]
