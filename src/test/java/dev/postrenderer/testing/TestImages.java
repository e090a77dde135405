package dev.postrenderer.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/**
 * Real images for tests, made with ImageIO: JPEGs (optionally with an EXIF block carrying an
 * orientation and a GPS position, as phones write them) and PNGs, opaque or with transparency.
 * The picture is a red left half and a blue right half, so that which way up a variant is can be
 * told from its pixels.
 */
public final class TestImages {

    private TestImages() {
    }

    /** A JPEG of this stored size, without EXIF. */
    public static byte[] jpeg(int width, int height) {
        return encode(picture(width, height, false), "jpeg");
    }

    /**
     * A JPEG of this stored size whose EXIF block says how to turn it for display and where it
     * was taken (52.52° N, 13.40° E).
     */
    public static byte[] jpegWithExif(int width, int height, int orientation) {
        return withExif(jpeg(width, height), orientation);
    }

    /** A JPEG with an EXIF block (orientation and GPS) right after its start-of-image marker. */
    private static byte[] withExif(byte[] plain, int orientation) {
        byte[] app1 = exif(orientation);
        byte[] result = new byte[plain.length + app1.length];
        System.arraycopy(plain, 0, result, 0, 2); // SOI
        System.arraycopy(app1, 0, result, 2, app1.length);
        System.arraycopy(plain, 2, result, 2 + app1.length, plain.length - 2);
        return result;
    }

    /**
     * Writes a photo-like JPEG (gradients and grain, so that it compresses as a camera's does) with
     * EXIF orientation 6 and a GPS block: {@code java -cp target/test-classes
     * dev.postrenderer.testing.TestImages photo.jpg 6000 4000} makes the 24-megapixel photo the
     * README's memory figure is measured with.
     */
    public static void main(String[] args) throws IOException {
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(24);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grain = random.nextInt(24);
                int r = (x * 200 / width + grain) & 0xFF;
                int g = (y * 200 / height + grain) & 0xFF;
                int b = ((x + y) * 120 / (width + height) + 60 + grain) & 0xFF;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        java.nio.file.Files.write(java.nio.file.Path.of(args[0]), withExif(encode(image, "jpeg"), 6));
    }

    /** A PNG of this size, with a transparent corner if {@code alpha}. */
    public static byte[] png(int width, int height, boolean alpha) {
        return encode(picture(width, height, alpha), "png");
    }

    /** True if the bytes carry an EXIF block or a GPS tag anywhere. */
    public static boolean hasExif(byte[] image) {
        String text = new String(image, StandardCharsets.ISO_8859_1);
        return text.contains("Exif\0\0") || text.contains("GPS");
    }

    private static BufferedImage picture(int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        if (alpha) {
            g.setComposite(java.awt.AlphaComposite.Clear);
            g.fillRect(0, 0, Math.max(1, width / 8), Math.max(1, height / 8));
        }
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An APP1 segment: EXIF header, little-endian TIFF, IFD0 with Orientation and a GPS IFD pointer, the GPS IFD. */
    private static byte[] exif(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2); // IFD0: two entries
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38); // GPS IFD at 38
        tiff.putInt(0); // no next IFD
        tiff.putShort((short) 2); // GPS IFD: latitude ref and longitude ref
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        tiff.putShort((short) 3).putShort((short) 2).putInt(2).put((byte) 'E').put((byte) 0).putShort((short) 0);
        tiff.putInt(0);
        tiff.put("GPS 52.52N 13.40E".getBytes(StandardCharsets.US_ASCII));
        int tiffLength = tiff.position();
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiffLength).order(ByteOrder.BIG_ENDIAN);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiffLength));
        app1.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        app1.put(tiff.array(), 0, tiffLength);
        return app1.array();
    }
}
