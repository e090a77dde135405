package dev.postrenderer.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the site knows about one of its published images: its facts and, when they were made, its
 * variants. Variants live under {@value #VARIANTS_PREFIX}, a folder no author can upload to, named
 * by the image's key and a digest of its content, so that a replaced image's variants never
 * collide with the cached ones of the version before.
 *
 * @param facts    what its header says
 * @param version  a digest of its content, part of its variants' keys; empty without variants
 * @param variants the widths of its variants, narrowest first; empty if none were made
 */
public record PublishedImage(ImageFacts facts, String version, List<Integer> variants) {

    /** The folder of every variant: a key segment starting with {@code _} is never an author's. */
    public static final String VARIANTS_PREFIX = "_img/";

    public PublishedImage {
        Objects.requireNonNull(facts, "facts == null");
        Objects.requireNonNull(version, "version == null");
        variants = List.copyOf(variants);
        if (!version.matches("[0-9a-f]*") || version.isEmpty() != variants.isEmpty()) {
            throw new IllegalArgumentException("variants need a hex version, and a version variants");
        }
    }

    /** The file type of its variants: {@code jpg} or {@code png}. */
    public String variantType() {
        return ImageVariants.typeFor(facts);
    }

    /** The site key of its variant of this width. */
    public String variantKey(String imageKey, int width) {
        return variantFolder(imageKey) + version + "-" + width + "." + variantType();
    }

    /** The folder its variants are kept in, for every version: deleting the image deletes it. */
    public static String variantFolder(String imageKey) {
        return VARIANTS_PREFIX + imageKey + "/";
    }

    /** A variant's height, from the displayed aspect ratio. */
    public int heightAt(int width) {
        return ImageVariants.heightAt(facts, width);
    }

    /** The {@code Content-Type} of its variants. */
    public String variantMediaType() {
        return (variantType().equals("png") ? ImageFormat.PNG : ImageFormat.JPEG).mediaType();
    }

    /** Its widest variant, if it has any. */
    public Optional<Integer> largest() {
        return variants.isEmpty() ? Optional.empty() : Optional.of(variants.get(variants.size() - 1));
    }

    /** One line: {@code JPEG 3000x4000 6 opaque 1a2b3c4d 480,960,1600}. */
    public String encode() {
        StringBuilder text = new StringBuilder().append(facts.format()).append(' ').append(facts.width()).append('x')
                .append(facts.height()).append(' ').append(facts.orientation()).append(' ')
                .append(facts.alpha() ? "alpha" : "opaque").append(' ').append(version.isEmpty() ? "-" : version)
                .append(' ');
        if (variants.isEmpty()) {
            text.append('-');
        }
        for (int i = 0; i < variants.size(); i++) {
            text.append(i == 0 ? "" : ",").append(variants.get(i));
        }
        return text.toString();
    }

    /** Reads what {@link #encode} wrote; empty for anything else, which a page then does without. */
    public static Optional<PublishedImage> decode(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 6) {
            return Optional.empty();
        }
        try {
            String[] size = parts[1].split("x");
            ImageFacts facts = new ImageFacts(ImageFormat.valueOf(parts[0]), Integer.parseInt(size[0]),
                    Integer.parseInt(size[1]), Integer.parseInt(parts[2]), parts[3].equals("alpha"));
            List<Integer> widths = new ArrayList<>();
            if (!parts[5].equals("-")) {
                for (String width : parts[5].split(",")) {
                    widths.add(Integer.parseInt(width));
                }
            }
            return Optional.of(new PublishedImage(facts, parts[4].equals("-") ? "" : parts[4], widths));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty(); // written by another release, or damaged: the page goes without sizes
        }
    }
}
