/**
 * Layers shared by both towers and the heads (linear, layer norm, MLP, attention, encoder), each loaded from the
 * checkpoint through a {@link org.fgclip2.model.nn.WeightLoader}, which checks every tensor's shape.
 */
package org.fgclip2.model.nn;
