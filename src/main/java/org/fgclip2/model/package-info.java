/**
 * The FG-CLIP 2 model as the official {@code modeling_fgclip2.py} defines it: its configuration
 * ({@link org.fgclip2.model.FgClip2Config} from {@code config.json}), the towers and embeddings named after their
 * checkpoint keys, loaded into {@link org.fgclip2.model.FgClip2Model}; the tensor shapes a configuration implies
 * ({@link org.fgclip2.model.StateDictShapes}) and a random-weight checkpoint of any configuration
 * ({@link org.fgclip2.model.RandomCheckpoint}). Reusable layers live in {@code model.nn}, files in
 * {@code model.checkpoint}; neither knows this package.
 */
package org.fgclip2.model;
