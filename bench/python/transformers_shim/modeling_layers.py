"""``GradientCheckpointingLayer``: a plain module on the inference path."""

from torch import nn


class GradientCheckpointingLayer(nn.Module):
    """Transformers uses this base to recompute activations during training; at inference it is an nn.Module."""

    gradient_checkpointing = False

    def __call__(self, *args, **kwargs):
        if self.gradient_checkpointing and self.training:
            raise NotImplementedError("gradient checkpointing (a training feature) is not provided by the shim")
        return super().__call__(*args, **kwargs)
