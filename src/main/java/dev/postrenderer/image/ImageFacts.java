package dev.postrenderer.image;

import java.util.Objects;

/**
 * What an image's header says about it, without decoding its pixels.
 *
 * @param format      the format its bytes are in, whatever its name says
 * @param width       the displayed width in pixels: the stored height for EXIF orientations 5 to 8,
 *                    which turn the picture a quarter
 * @param height      the displayed height in pixels
 * @param orientation the EXIF orientation, 1 (upright) to 8; 1 when the file has none
 * @param alpha       true if it may have transparent pixels (an alpha channel or a transparent colour)
 */
public record ImageFacts(ImageFormat format, int width, int height, int orientation, boolean alpha) {

    public ImageFacts {
        Objects.requireNonNull(format, "format == null");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("an image has a positive size, not " + width + "x" + height);
        }
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("EXIF orientation is 1 to 8, not " + orientation);
        }
    }

    /** How many pixels decoding it would take. */
    public long pixels() {
        return (long) width * height;
    }

    /** True if the stored picture is turned a quarter from how it is displayed. */
    public boolean turned() {
        return orientation >= 5;
    }
}
