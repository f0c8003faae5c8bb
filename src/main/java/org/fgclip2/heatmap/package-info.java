/**
 * Region heatmaps: a label's dense patch-text similarity over an image's patch grid
 * ({@link org.fgclip2.heatmap.SimilarityMap}) drawn as PNG by {@link org.fgclip2.heatmap.HeatmapRenderer},
 * summarised as a peak and a box in original-image pixels by {@link org.fgclip2.heatmap.HeatmapStats}, and stored
 * by a {@link org.fgclip2.heatmap.HeatmapStore} that returns the URI the topology publishes.
 */
package org.fgclip2.heatmap;
