package dev.postrenderer.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads an image's {@link ImageFacts} from its first bytes, without decoding a pixel: the JPEG
 * frame header and EXIF orientation, PNG's {@code IHDR}, GIF's screen descriptor, WebP's
 * {@code VP8}/{@code VP8L}/{@code VP8X} chunk. Every offset is checked against the bytes given, so
 * a truncated or hostile header is an {@link InvalidImageException}, never an exception of the
 * parser's own, and the work is bounded by the bytes given.
 */
public final class ImageHeaders {

    /** How much of a file is read for its header: a JPEG's EXIF and ICC segments come before its frame header. */
    public static final int PREFIX_BYTES = 512 * 1024;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int EXIF_ORIENTATION = 0x0112;

    private ImageHeaders() {
    }

    /** The format the bytes are in, by their signature; empty if none of the formats read here. */
    public static Optional<ImageFormat> format(byte[] bytes) {
        if (bytes.length >= 3 && u8(bytes, 0) == 0xFF && u8(bytes, 1) == 0xD8 && u8(bytes, 2) == 0xFF) {
            return Optional.of(ImageFormat.JPEG);
        }
        if (bytes.length >= 8 && Arrays.equals(bytes, 0, 8, PNG_SIGNATURE, 0, 8)) {
            return Optional.of(ImageFormat.PNG);
        }
        if (startsWith(bytes, 0, "GIF87a") || startsWith(bytes, 0, "GIF89a")) {
            return Optional.of(ImageFormat.GIF);
        }
        if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WEBP")) {
            return Optional.of(ImageFormat.WEBP);
        }
        return Optional.empty();
    }

    /**
     * The facts of the image whose first bytes (at least its header, see {@link #PREFIX_BYTES})
     * these are.
     *
     * @throws InvalidImageException if they are not a JPEG, PNG, GIF or WebP header, or one cut short
     */
    public static ImageFacts read(byte[] bytes) {
        ImageFormat format = format(bytes).orElseThrow(() ->
                new InvalidImageException("its content is not a JPEG, PNG, GIF or WebP image"));
        try {
            return switch (format) {
                case JPEG -> jpeg(bytes);
                case PNG -> png(bytes);
                case GIF -> new ImageFacts(format, u16le(bytes, 6), u16le(bytes, 8), 1, true);
                case WEBP -> webp(bytes);
            };
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            throw new InvalidImageException("its " + format + " header is cut short or malformed", e);
        }
    }

    private static ImageFacts jpeg(byte[] b) {
        int orientation = 1;
        int p = 2;
        while (true) {
            if (u8(b, p) != 0xFF) {
                throw new InvalidImageException("its JPEG segments are malformed at byte " + p);
            }
            while (u8(b, p) == 0xFF) {
                p++; // fill bytes before a marker
            }
            int marker = u8(b, p++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                continue; // markers without a length
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new InvalidImageException("its JPEG data starts before any frame header");
            }
            int length = u16be(b, p);
            if (length < 2) {
                throw new InvalidImageException("its JPEG segment at byte " + p + " has a length of " + length);
            }
            if (isFrameHeader(marker)) {
                int height = u16be(b, p + 3);
                int width = u16be(b, p + 5);
                boolean turned = orientation >= 5;
                return new ImageFacts(ImageFormat.JPEG, turned ? height : width, turned ? width : height, orientation,
                        false);
            }
            if (marker == 0xE1 && length >= 8 && startsWith(b, p + 2, "Exif\0\0")) {
                orientation = exifOrientation(b, p + 8, Math.min(b.length, p + length));
            }
            p += length;
        }
    }

    /** SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** The orientation tag of IFD0 in the TIFF structure at {@code start}; 1 when absent or out of range. */
    private static int exifOrientation(byte[] b, int start, int end) {
        if (end - start < 8) {
            return 1;
        }
        boolean little = startsWith(b, start, "II");
        if (!little && !startsWith(b, start, "MM")) {
            return 1;
        }
        long ifd = start + u32(b, start + 4, little);
        if (ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, little) == EXIF_ORIENTATION) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static ImageFacts png(byte[] b) {
        if (!startsWith(b, 12, "IHDR")) {
            throw new InvalidImageException("its PNG header does not start with IHDR");
        }
        int width = (int) Math.min(Integer.MAX_VALUE, u32(b, 16, false));
        int height = (int) Math.min(Integer.MAX_VALUE, u32(b, 20, false));
        int colourType = u8(b, 25);
        boolean alpha = colourType == 4 || colourType == 6 || hasTransparencyChunk(b);
        return new ImageFacts(ImageFormat.PNG, width, height, 1, alpha);
    }

    /** True if a {@code tRNS} chunk comes before the image data, within the bytes given. */
    private static boolean hasTransparencyChunk(byte[] b) {
        int p = 8;
        while (p + 8 <= b.length) {
            long length = u32(b, p, false);
            if (startsWith(b, p + 4, "tRNS")) {
                return true;
            }
            if (startsWith(b, p + 4, "IDAT") || length > b.length) {
                return false;
            }
            p += 12 + (int) length;
        }
        return false;
    }

    private static ImageFacts webp(byte[] b) {
        int data = 20;
        if (startsWith(b, 12, "VP8 ")) {
            if (u8(b, data + 3) != 0x9D || u8(b, data + 4) != 0x01 || u8(b, data + 5) != 0x2A) {
                throw new InvalidImageException("its WebP VP8 frame has no start code");
            }
            return new ImageFacts(ImageFormat.WEBP, u16le(b, data + 6) & 0x3FFF, u16le(b, data + 8) & 0x3FFF, 1, false);
        }
        if (startsWith(b, 12, "VP8L")) {
            if (u8(b, data) != 0x2F) {
                throw new InvalidImageException("its WebP VP8L stream has no signature");
            }
            long bits = u32(b, data + 1, true);
            int width = (int) (bits & 0x3FFF) + 1;
            int height = (int) ((bits >> 14) & 0x3FFF) + 1;
            return new ImageFacts(ImageFormat.WEBP, width, height, 1, ((bits >> 28) & 1) == 1);
        }
        if (startsWith(b, 12, "VP8X")) {
            boolean alpha = (u8(b, data) & 0x10) != 0;
            int width = u24le(b, data + 4) + 1;
            int height = u24le(b, data + 7) + 1;
            return new ImageFacts(ImageFormat.WEBP, width, height, 1, alpha);
        }
        throw new InvalidImageException("its WebP container has no VP8, VP8L or VP8X chunk first");
    }

    private static boolean startsWith(byte[] b, int offset, String ascii) {
        byte[] expected = ascii.getBytes(StandardCharsets.ISO_8859_1);
        return offset >= 0 && b.length >= offset + expected.length
                && Arrays.equals(b, offset, offset + expected.length, expected, 0, expected.length);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16be(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int u16le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static int u24le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16);
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? u16le(b, i) : u16be(b, i);
    }

    private static long u32(byte[] b, int i, boolean little) {
        long value = little
                ? u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | ((long) u8(b, i + 3) << 24)
                : ((long) u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
        return value & 0xFFFFFFFFL;
    }
}
