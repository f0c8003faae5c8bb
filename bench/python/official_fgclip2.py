"""Loads the official FG-CLIP 2 modeling code from a folder outside this repository and builds models from it.

The folder must hold ``modeling_fgclip2.py`` and ``configuration_fgclip2.py`` from github.com/360CVGroup/FG-CLIP
(``fgclip2/model/strcs/``). They are imported as a package of their own, without that folder's ``__init__.py``
(it pulls in the training class and einops, neither needed for inference), after the transformers shim is
installed.
"""

import hashlib
import importlib
import sys
import types
from pathlib import Path

import transformers_shim

OFFICIAL_COMMIT = "b1af1cda8ae62089664251670c7819b25e07a0bc"
OFFICIAL_FILES_SHA256 = {
    "configuration_fgclip2.py": "64118f1728a72d6a0583f049f52d96c4f026e73fba0a1412367a1615fad8f469",
    "modeling_fgclip2.py": "190fd0710336a885b74a1a2b3a7054824cd095d28348833ff45f5c0a3458c2d1",
}
_PACKAGE = "fgclip2_official"

# Same shapes as org.fgclip2.model.ModelPresets on the Java side.
ARCHITECTURES = {
    "tiny": dict(
        text=dict(vocab_size=1000, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2),
        vision=dict(hidden_size=32, intermediate_size=80, num_hidden_layers=3, num_attention_heads=4, num_patches=16),
    ),
    "base": dict(
        text=dict(vocab_size=256000, hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12),
        vision=dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12, num_patches=256),
    ),
}
_SHARED_TEXT = dict(max_position_embeddings=64, keep_len=20, longtext_len=196, pad_token_id=0, eos_token_id=1, bos_token_id=2)
_SHARED_VISION = dict(num_channels=3, patch_size=16)


class OfficialCode:
    """The imported official modules and whether the files are the ones of the pinned commit."""

    def __init__(self, source_dir):
        source = Path(source_dir).resolve()
        missing = [name for name in OFFICIAL_FILES_SHA256 if not (source / name).is_file()]
        if missing:
            raise FileNotFoundError(
                f"{source} lacks {', '.join(missing)}: pass --official-src the fgclip2/model/strcs folder of a clone "
                f"of https://github.com/360CVGroup/FG-CLIP (commit {OFFICIAL_COMMIT[:7]})"
            )
        self.source = source
        self.sha256 = {name: hashlib.sha256((source / name).read_bytes()).hexdigest() for name in OFFICIAL_FILES_SHA256}
        self.is_pinned_commit = self.sha256 == OFFICIAL_FILES_SHA256
        transformers_shim.install()
        package = types.ModuleType(_PACKAGE)
        package.__path__ = [str(source)]
        sys.modules[_PACKAGE] = package
        self.configuration = importlib.import_module(_PACKAGE + ".configuration_fgclip2")
        self.modeling = importlib.import_module(_PACKAGE + ".modeling_fgclip2")

    def describe(self) -> str:
        state = f"= commit {OFFICIAL_COMMIT[:7]}" if self.is_pinned_commit else "DIFFER from commit " + OFFICIAL_COMMIT[:7]
        return f"official code from {self.source} (sha256 {state})"

    def config_from_dict(self, values: dict):
        """A ``Fgclip2Config`` from a config.json-style dict, set to the eager attention path."""
        config = self.configuration.Fgclip2Config(**values)
        for c in (config, config.text_config, config.vision_config):
            c._attn_implementation = "eager"
        return config

    def config_for(self, arch: str):
        if arch not in ARCHITECTURES:
            raise ValueError(f"unknown architecture '{arch}': use one of {', '.join(ARCHITECTURES)}")
        shape = ARCHITECTURES[arch]
        return self.config_from_dict(
            dict(text_config={**_SHARED_TEXT, **shape["text"]}, vision_config={**_SHARED_VISION, **shape["vision"]})
        )

    def model(self, config):
        """The hub class (what the official README loads with ``AutoModelForCausalLM``), in eval mode."""
        return self.modeling.Fgclip2Model(config).eval()
