package org.fgclip2.topology;

/**
 * How the boxes of an image event are labelled; the defaults and their reasons are in the application's settings
 * table.
 *
 * @param maxPerImage most boxes of one event that are labelled (0 = region labels off)
 * @param topLabels most labels listed per box, best first
 */
public record RegionSettings(int maxPerImage, int topLabels) {

    public RegionSettings {
        if (maxPerImage < 0 || topLabels < 1) {
            throw new IllegalArgumentException("regions per image must not be negative and labels per region must be"
                    + " at least 1, got " + maxPerImage + " and " + topLabels);
        }
    }
}
