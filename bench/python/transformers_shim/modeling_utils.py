"""``PreTrainedModel`` (construction and weight initialisation) and the attention-function registry."""

import copy

from torch import nn


class _AttentionFunctions(dict):
    """Transformers registers sdpa / flash / flex kernels here; the shim offers only the official eager path."""

    def __missing__(self, name):
        raise KeyError(
            f"attention implementation '{name}' is not provided by the shim; set config._attn_implementation = 'eager'"
        )


ALL_ATTENTION_FUNCTIONS = _AttentionFunctions()


class PreTrainedModel(nn.Module):
    """Base of the FG-CLIP 2 models: keeps the config and initialises weights with the model's ``_init_weights``.

    Initialisation follows transformers: modules are visited children first, each once (a flag marks it), and a
    nested ``PreTrainedModel`` uses its own ``_init_weights``. Loading a checkpoint is left to the caller
    (``load_state_dict``).
    """

    def __init__(self, config, *inputs, **kwargs):
        super().__init__()
        self.config = config

    @classmethod
    def _from_config(cls, config, **kwargs):
        # transformers copies the config so that the new model never shares (and mutates) the caller's object
        return cls(copy.deepcopy(config), **kwargs)

    def post_init(self):
        self._initialize_tree(self)

    def _initialize_tree(self, module):
        for child in module.children():
            if isinstance(child, PreTrainedModel):
                child._initialize_tree(child)
            else:
                self._initialize_tree(child)
        if not getattr(module, "_is_hf_initialized", False):
            self._init_weights(module)
            module._is_hf_initialized = True

    def _init_weights(self, module):
        pass
