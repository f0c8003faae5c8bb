"""Reads a .safetensors file into NumPy arrays (the ``safetensors`` package is not available here).

Format: an 8-byte little-endian header length, a JSON header mapping each name to ``dtype``, ``shape`` and
``data_offsets`` (relative to the end of the header), optional ``__metadata__``, then the raw little-endian bytes.
"""

import json
import struct
from pathlib import Path

import numpy as np

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1"}


def read_safetensors(path) -> dict:
    """All tensors of the file, by name, as writable NumPy arrays."""
    data = Path(path).read_bytes()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    body = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in _DTYPES:
            raise ValueError(f"{path}: tensor '{name}' has dtype {entry['dtype']}, which this reader does not handle")
        dtype = np.dtype(_DTYPES[entry["dtype"]])
        start, end = entry["data_offsets"]
        array = np.frombuffer(data, dtype=dtype, count=(end - start) // dtype.itemsize, offset=body + start)
        tensors[name] = array.reshape(entry["shape"]).copy()
    return tensors
