package dev.postrenderer.image;

import java.util.Objects;

/**
 * One resized copy of an image, upright and without metadata.
 *
 * @param width   its width in pixels, one of {@link ImageVariants#widthsFor}
 * @param height  its height in pixels
 * @param type    its file type: {@code jpg}, or {@code png} for a picture with transparency
 * @param content its bytes
 */
public record ImageVariant(int width, int height, String type, byte[] content) {

    public ImageVariant {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(content, "content == null");
    }
}
