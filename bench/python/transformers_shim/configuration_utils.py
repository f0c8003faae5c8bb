"""``PretrainedConfig``: the base of the FG-CLIP 2 config classes, reduced to what inference reads."""


class PretrainedConfig:
    """Holds the generic settings the model reads (output flags, ``return_dict``, attention implementation) and,
    like transformers, keeps every other keyword argument as an attribute.

    ``_attn_implementation`` defaults to ``"eager"``: the official ``eager_attention_forward``. The shim has no
    other attention functions.
    """

    model_type = ""

    def __init__(self, **kwargs):
        self.output_attentions = kwargs.pop("output_attentions", False)
        self.output_hidden_states = kwargs.pop("output_hidden_states", False)
        self.return_dict = kwargs.pop("return_dict", True)
        self.torch_dtype = kwargs.pop("torch_dtype", None)
        self.pad_token_id = kwargs.pop("pad_token_id", None)
        self.bos_token_id = kwargs.pop("bos_token_id", None)
        self.eos_token_id = kwargs.pop("eos_token_id", None)
        self._attn_implementation = kwargs.pop("attn_implementation", None) or "eager"
        for key, value in kwargs.items():
            setattr(self, key, value)
