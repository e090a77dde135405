package dev.postrenderer.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes the resized variants of a JPEG or PNG with the JDK's ImageIO: decoded once, scaled down by
 * halving steps to each width (never up), turned upright by its EXIF orientation, and written
 * without any of the original's metadata (EXIF, GPS, comments). JPEG variants are JPEG at quality
 * {@value #JPEG_QUALITY}; a PNG with transparency stays PNG, an opaque one becomes JPEG.
 *
 * <p>Only images within {@value #MAX_PIXELS} pixels are decoded: a 40-megapixel picture takes
 * 160 MB decoded (the caller makes one image's variants at a time). Thread-safe.
 */
public final class ImageVariants {

    /** The largest image decoded, in pixels: 40 megapixels, more than any phone camera's. */
    public static final long MAX_PIXELS = 40_000_000L;
    /** The widths variants are made at, where the image is at least that wide. */
    public static final List<Integer> WIDTHS = List.of(480, 960, 1600);
    /** The JPEG quality of variants. */
    public static final float JPEG_QUALITY = 0.80f;

    static {
        // decode and encode in memory: Lambda's /tmp is small and shared with the function's other work
        ImageIO.setUseCache(false);
    }

    private ImageVariants() {
    }

    /**
     * True if variants are made of an image with these facts: a JPEG or PNG within the pixel budget,
     * at least as wide as the narrowest variant (a smaller one is as light as a variant would be).
     */
    public static boolean makesVariants(ImageFacts facts) {
        return (facts.format() == ImageFormat.JPEG || facts.format() == ImageFormat.PNG)
                && facts.pixels() <= MAX_PIXELS && !widthsFor(facts.width()).isEmpty();
    }

    /**
     * The widths of the variants of an image this wide when displayed: each of {@link #WIDTHS}
     * narrower than it, then its own width up to the largest, so that the largest variant is as
     * sharp as the original allows; none for an image narrower than the narrowest.
     */
    public static List<Integer> widthsFor(int displayedWidth) {
        List<Integer> widths = new ArrayList<>();
        if (displayedWidth < WIDTHS.get(0)) {
            return List.of();
        }
        for (int width : WIDTHS) {
            if (width < displayedWidth) {
                widths.add(width);
            }
        }
        int largest = Math.min(displayedWidth, WIDTHS.get(WIDTHS.size() - 1));
        if (!widths.contains(largest)) {
            widths.add(largest);
        }
        return List.copyOf(widths);
    }

    /** The height of an image's variant of this width, from its displayed aspect ratio. */
    public static int heightAt(ImageFacts facts, int width) {
        return Math.max(1, (int) Math.round((double) width * facts.height() / facts.width()));
    }

    /** The file type of an image's variants. */
    public static String typeFor(ImageFacts facts) {
        return facts.format() == ImageFormat.PNG && facts.alpha() ? "png" : "jpg";
    }

    /**
     * Makes the variants of an image, largest first.
     *
     * @param facts   what its header says, from {@link ImageHeaders#read}
     * @param content the whole file
     * @throws InvalidImageException if it is outside the budget or cannot be decoded
     */
    public static List<ImageVariant> make(ImageFacts facts, byte[] content) {
        if (!makesVariants(facts)) {
            throw new InvalidImageException("it is a " + facts.format() + " of " + facts.width() + "x" + facts.height()
                    + " pixels; variants are made of JPEG and PNG images up to " + MAX_PIXELS / 1_000_000 + " megapixels");
        }
        List<Integer> widths = new ArrayList<>(widthsFor(facts.width()));
        widths.sort((a, b) -> Integer.compare(b, a));
        BufferedImage current = decode(facts, content, widths.get(0));
        List<ImageVariant> variants = new ArrayList<>();
        String type = typeFor(facts);
        for (int width : widths) {
            int height = heightAt(facts, width);
            // scale the stored picture, then turn the small result upright
            current = facts.turned() ? scale(current, height, width, type) : scale(current, width, height, type);
            BufferedImage upright = orient(current, facts.orientation());
            variants.add(new ImageVariant(width, height, type, encode(upright, type)));
        }
        return List.copyOf(variants);
    }

    /**
     * Decodes the picture, reading only every n-th pixel when it is more than twice as wide as the
     * largest variant: the halving steps that follow smooth what the subsampling skips, and a
     * 40-megapixel photo then takes a quarter of the memory.
     */
    private static BufferedImage decode(ImageFacts facts, byte[] content, int largest) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new InvalidImageException("no decoder reads it as a " + facts.format());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                // a truncated file decodes with a warning and grey where the data ran out: not worth variants
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, facts.width() / (2 * largest));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                if (!warnings.isEmpty()) {
                    throw new InvalidImageException("its " + facts.format() + " data cannot be decoded: "
                            + warnings.get(0));
                }
                return decoded;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
                throw invalid;
            }
            throw new InvalidImageException("its " + facts.format() + " data cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** Scales down by halving while that stays above the target, then once to the exact size. */
    private static BufferedImage scale(BufferedImage source, int width, int height, String type) {
        BufferedImage current = source;
        int w = current.getWidth();
        int h = current.getHeight();
        while (w / 2 >= width && h / 2 >= height) {
            w /= 2;
            h /= 2;
            current = draw(current, w, h, type);
        }
        return current.getWidth() == width && current.getHeight() == height && current.getType() == imageType(type)
                ? current : draw(current, width, height, type);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, String type) {
        BufferedImage target = new BufferedImage(width, height, imageType(type));
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (type.equals("jpg")) {
                g.setColor(java.awt.Color.WHITE); // an opaque PNG's transparent colour, if any, on white
                g.fillRect(0, 0, width, height);
            }
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static int imageType(String type) {
        return type.equals("png") ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    }

    /** Turns the stored picture as EXIF orientation 2–8 says it is displayed. */
    private static BufferedImage orient(BufferedImage stored, int orientation) {
        if (orientation == 1) {
            return stored;
        }
        int w = stored.getWidth();
        int h = stored.getHeight();
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.quadrantRotate(2); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.quadrantRotate(1); t.scale(1, -1); }
            case 6 -> { t.translate(h, 0); t.quadrantRotate(1); }
            case 7 -> { t.translate(h, w); t.scale(-1, -1); t.quadrantRotate(1); t.scale(1, -1); }
            case 8 -> { t.translate(0, w); t.quadrantRotate(3); }
            default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
        }
        boolean turned = orientation >= 5;
        BufferedImage upright = new BufferedImage(turned ? h : w, turned ? w : h, stored.getType());
        Graphics2D g = upright.createGraphics();
        try {
            g.drawImage(stored, t, null);
        } finally {
            g.dispose();
        }
        return upright;
    }

    private static byte[] encode(BufferedImage image, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (type.equals("png")) {
                ImageIO.write(image, "png", out);
                return out.toByteArray();
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(output);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                writer.write(null, new IIOImage(image, null, null), param); // no metadata but the JFIF header
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
