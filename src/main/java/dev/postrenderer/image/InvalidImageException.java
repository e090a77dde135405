package dev.postrenderer.image;

/** An image whose bytes cannot be read as what they claim to be; the message says why, for the author. */
public final class InvalidImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
