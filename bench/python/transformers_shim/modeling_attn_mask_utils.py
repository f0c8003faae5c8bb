"""The padding-mask helper: a [batch, src] 1/0 mask becomes an additive [batch, 1, tgt, src] bias."""

from typing import Optional

import torch


def _prepare_4d_attention_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: Optional[int] = None) -> torch.Tensor:
    """Same result as transformers: 0 where the key is kept, the dtype's most negative finite value where masked."""
    batch_size, src_len = mask.shape
    tgt_len = src_len if tgt_len is None else tgt_len
    keep = mask[:, None, None, :].expand(batch_size, 1, tgt_len, src_len).to(dtype)
    inverted = 1.0 - keep
    return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)
