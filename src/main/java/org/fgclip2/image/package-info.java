/**
 * Images before any model-specific step: encoded bytes decoded to an 8-bit {@link org.fgclip2.image.RgbImage} with
 * Pillow's pixel values ({@link org.fgclip2.image.ImageDecoder}, within {@link org.fgclip2.image.ImageLimits}), and
 * Pillow's bilinear resize ({@link org.fgclip2.image.PillowResize}), which the NaFlex processor needs bit for bit and
 * the heatmap previews reuse.
 */
package org.fgclip2.image;
