/**
 * The FG-CLIP 2 image processor (SigLIP 2 NaFlex): an {@link org.fgclip2.image.RgbImage} resized to a patch budget
 * and cut into normalised patches ({@link org.fgclip2.preprocess.NaflexImageProcessor} configured by
 * {@code preprocessor_config.json}), one image's patches on its grid ({@link org.fgclip2.preprocess.PatchedImage},
 * {@link org.fgclip2.preprocess.PatchGrid}) and images padded to one batch ({@link org.fgclip2.preprocess.PatchBatch}).
 */
package org.fgclip2.preprocess;
