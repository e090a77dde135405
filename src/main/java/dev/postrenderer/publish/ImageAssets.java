package dev.postrenderer.publish;

import dev.postrenderer.image.ImageFacts;
import dev.postrenderer.image.ImageHeaders;
import dev.postrenderer.image.ImageVariant;
import dev.postrenderer.image.ImageVariants;
import dev.postrenderer.image.InvalidImageException;
import dev.postrenderer.image.PublishedImage;
import dev.postrenderer.render.ImageLookup;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The image part of the assets stage: once an image is copied, its facts are read from its header
 * and, within the budget, its variants made and written, then its facts recorded
 * ({@link SiteImages}); once it is removed, its facts and variants go. Either way the posts that
 * show it are named, to be rendered again. An image that cannot be read is still published as it
 * is, with a warning naming the reason; it is never a failure of the batch. Thread-safe if its
 * stores are.
 */
final class ImageAssets {

    /** The largest file whose variants are made: more than a 40-megapixel JPEG's, well within a 512 MB function. */
    static final int MAX_IMAGE_BYTES = 50 * 1024 * 1024;
    /** Variants never change under their key, which names the version of the image they were made from. */
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteImages images;

    ImageAssets(ObjectStore source, ObjectStore site) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.images = new SiteImages(site);
    }

    /** True for the keys this stage looks at: files named as JPEG, PNG, GIF or WebP images. */
    static boolean isImage(String key) {
        return ImageLookup.isRasterImage(key);
    }

    /**
     * Records the facts and variants of an image just copied, unless they are recorded for its
     * current version already.
     *
     * @return what the posts that show it need done
     */
    Update published(String key, Outcomes outcomes) {
        Optional<String> current = source.head(key).flatMap(ObjectInfo::etag);
        Optional<SiteImages.Recorded> recorded = images.find(key);
        if (current.isPresent() && recorded.flatMap(SiteImages.Recorded::sourceEtag).equals(current)) {
            // recorded already; its posts again, in case the attempt that recorded it failed to render them
            return new Update(images.referrers(key), Optional.empty());
        }
        Optional<StoredObject> object = source.get(key, MAX_IMAGE_BYTES);
        if (object.isEmpty()) {
            return new Update(List.of(), Optional.empty()); // removed since: its removal's event cleans up
        }
        Optional<PublishedImage> image = read(key, object.get().content(), outcomes);
        if (image.isPresent()) {
            images.record(key, image.get(), object.get().info().etag());
        } else if (recorded.isPresent()) {
            images.forget(key);
        }
        Optional<String> version = image.map(PublishedImage::version);
        return new Update(images.referrers(key), Optional.of(() -> images.deleteVariants(key, version)));
    }

    /** Forgets a removed image: its facts, then (after its posts are rendered without it) its variants. */
    Update removed(String key) {
        images.forget(key);
        return new Update(images.referrers(key), Optional.of(() -> {
            if (images.find(key).isEmpty()) { // unless uploaded again meanwhile
                images.deleteVariants(key, Optional.empty());
            }
        }));
    }

    /** The image's facts, with its variants written; empty if it cannot be read, with a warning saying why. */
    private Optional<PublishedImage> read(String key, byte[] content, Outcomes outcomes) {
        ImageFacts facts;
        try {
            facts = ImageHeaders.read(content.length > ImageHeaders.PREFIX_BYTES
                    ? Arrays.copyOf(content, ImageHeaders.PREFIX_BYTES) : content);
        } catch (InvalidImageException e) {
            outcomes.warn(key + " is published as it is, without sizes: " + e.getMessage());
            return Optional.empty();
        }
        String named = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (!ContentTypes.of("x." + named).equals(facts.format().mediaType())) {
            outcomes.warn(key + " is named ." + named + " but its content is " + facts.format()
                    + "; browsers show it by its content");
        }
        if (content.length > MAX_IMAGE_BYTES) {
            outcomes.warn(key + " is over " + MAX_IMAGE_BYTES / (1024 * 1024) + " MB: published as it is, without variants");
            return Optional.of(new PublishedImage(facts, "", List.of()));
        }
        if (!ImageVariants.makesVariants(facts)) {
            if (facts.pixels() > ImageVariants.MAX_PIXELS) {
                outcomes.warn(key + " has " + facts.width() + "x" + facts.height() + " pixels, more than the "
                        + ImageVariants.MAX_PIXELS / 1_000_000 + "-megapixel budget: published as it is, without"
                        + " variants, and never decoded");
            }
            return Optional.of(new PublishedImage(facts, "", List.of()));
        }
        List<ImageVariant> variants;
        try {
            variants = ImageVariants.make(facts, content);
        } catch (InvalidImageException e) {
            outcomes.warn(key + " is published as it is, without variants: " + e.getMessage());
            return Optional.of(new PublishedImage(facts, "", List.of()));
        }
        String version = ContentHash.of(content).substring(0, 12);
        PublishedImage image = new PublishedImage(facts, version, variants.stream().map(ImageVariant::width).sorted().toList());
        Parallel.map(variants, variant -> {
            site.put(image.variantKey(key, variant.width()), variant.content(),
                    new PutOptions(ContentTypes.of("x." + variant.type()), Optional.of(IMMUTABLE), Map.of()));
            return null;
        });
        return Optional.of(image);
    }

    /**
     * What an image's change asks of the rest of the batch.
     *
     * @param referrers the posts to render again, by source key
     * @param cleanup   what to delete once they are: the variants no page should link any more
     */
    record Update(List<String> referrers, Optional<Runnable> cleanup) {
        Update {
            referrers = List.copyOf(referrers);
            Objects.requireNonNull(cleanup, "cleanup == null");
        }
    }
}
