package dev.postrenderer.image;

/** The image formats whose headers are read; recognised by their first bytes, never by the name. */
public enum ImageFormat {
    JPEG("image/jpeg"),
    PNG("image/png"),
    GIF("image/gif"),
    WEBP("image/webp");

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** Its {@code Content-Type}. */
    public String mediaType() {
        return mediaType;
    }
}
