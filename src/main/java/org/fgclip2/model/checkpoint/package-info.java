/**
 * Safetensors files: read memory-mapped ({@link org.fgclip2.model.checkpoint.SafetensorsFile}, single or sharded as
 * a {@link org.fgclip2.model.checkpoint.Checkpoint}) and written
 * ({@link org.fgclip2.model.checkpoint.SafetensorsWriter}). Knows tensors, dtypes and shapes, not the model.
 */
package org.fgclip2.model.checkpoint;
