"""``ACT2FN``: activation modules by config name, as transformers maps ``hidden_act``."""

import torch
from torch import nn


class GELUTanh(nn.Module):
    """GELU with the tanh approximation: what transformers runs for ``gelu_pytorch_tanh``."""

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(input, approximate="tanh")


_ACTIVATIONS = {"gelu_pytorch_tanh": GELUTanh}


class _Activations:
    """Like transformers' ``ACT2FN``: each lookup returns a fresh module instance."""

    def __getitem__(self, name: str) -> nn.Module:
        if name not in _ACTIVATIONS:
            raise KeyError(
                f"activation '{name}' is not provided by the shim (only {sorted(_ACTIVATIONS)}); "
                "FG-CLIP 2 configs use gelu_pytorch_tanh"
            )
        return _ACTIVATIONS[name]()


ACT2FN = _Activations()
