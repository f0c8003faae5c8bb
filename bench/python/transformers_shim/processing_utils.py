"""``Unpack``, used only in ``**kwargs`` annotations."""

from typing import Unpack

__all__ = ["Unpack"]
