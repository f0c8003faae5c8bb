"""A stand-in for the few parts of Hugging Face ``transformers`` that the official FG-CLIP 2 modeling files import.

``transformers`` cannot be installed here (no PyPI), yet the official ``modeling_fgclip2.py`` and
``configuration_fgclip2.py`` import base classes, decorators, output dataclasses and one mask helper from it. This
package provides exactly those names, written to behave like transformers on the inference path, so that the
official files run unmodified. It holds no model compute: every layer, attention and head is the official code.

Call :func:`install` before importing the official files; it registers this package under the name
``transformers`` in ``sys.modules``.
"""

import importlib
import sys

# Every module path the official files import from, relative to the package.
_SUBMODULES = (
    "activations",
    "configuration_utils",
    "modeling_attn_mask_utils",
    "modeling_layers",
    "modeling_outputs",
    "modeling_utils",
    "processing_utils",
    "utils",
    "utils.generic",
    "utils.logging",
)


def install():
    """Make ``import transformers...`` resolve to this shim. Refuses if a real transformers is already loaded."""
    existing = sys.modules.get("transformers")
    if existing is not None and existing is not sys.modules[__name__]:
        raise RuntimeError(
            "a real 'transformers' package is already imported; run the official code with it directly "
            "or start a fresh interpreter before installing the shim"
        )
    sys.modules["transformers"] = sys.modules[__name__]
    for name in _SUBMODULES:
        sys.modules["transformers." + name] = importlib.import_module(__name__ + "." + name)
