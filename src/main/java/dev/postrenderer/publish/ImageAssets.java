package dev.postrenderer.publish;

import dev.postrenderer.image.ImageFacts;
import dev.postrenderer.image.ImageHeaders;
import dev.postrenderer.image.ImageVariant;
import dev.postrenderer.image.ImageVariants;
import dev.postrenderer.image.InvalidImageException;
import dev.postrenderer.image.PublishedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The image part of the assets stage: once an image is copied, its facts are read from its header
 * and, within the budget, its variants made and written, then its facts recorded
 * ({@link SiteImages}); once it is removed, its facts and variants go. Either way the posts that
 * show it are named, to be rendered again. An image that cannot be read is still published as it
 * is, with a warning naming the reason; it is never a failure of the batch. One image is read and
 * made into variants at a time per function, however many the batch holds, so that its memory is
 * one photo's. Thread-safe if its stores are.
 */
final class ImageAssets {

    /** The largest file whose variants are made: more than a 40-megapixel JPEG's, well within a 512 MB function. */
    static final int MAX_IMAGE_BYTES = 50 * 1024 * 1024;
    /** Variants never change under their key, which names the version of the image they were made from. */
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Semaphore ONE_AT_A_TIME = new Semaphore(1);

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteImages images;

    ImageAssets(ObjectStore source, ObjectStore site) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.images = new SiteImages(site);
    }

    /**
     * Records the facts and variants of an image just copied, unless they are recorded for its
     * current version already.
     *
     * @return what the posts that show it need done
     */
    Update published(String key, Outcomes outcomes) {
        Optional<SiteImages.Recorded> recorded = images.find(key);
        Optional<String> recordedEtag = recorded.flatMap(SiteImages.Recorded::sourceEtag);
        // a new image has no facts to compare: no HEAD for it
        if (recordedEtag.isPresent() && source.head(key).flatMap(ObjectInfo::etag).equals(recordedEtag)) {
            // recorded already; its posts again, in case the attempt that recorded it failed to render them
            return new Update(images.referrers(key), Optional.empty());
        }
        Optional<Made> read;
        // one image in memory at a time: a batch of large photos read at once would not fit the function
        ONE_AT_A_TIME.acquireUninterruptibly();
        try {
            read = readAndMake(key, outcomes);
            // the photo and its decoded pixels (100 MB for 24 megapixels) are garbage now: collected before the
            // next, as Lambda's JVM would otherwise grow its heap towards 85 % of the function's memory and
            // the process past it (a batch of eight 24-megapixel photos ran out of 512 MB without this)
            System.gc();
        } finally {
            ONE_AT_A_TIME.release();
        }
        if (read.isEmpty()) {
            return new Update(List.of(), Optional.empty()); // removed since: its removal's event cleans up
        }
        Made made = read.get();
        Optional<String> etag = made.etag();
        Optional<PublishedImage> image = made.image();
        Parallel.map(made.variants(), variant -> {
            site.put(image.orElseThrow().variantKey(key, variant.width()), variant.content(),
                    new PutOptions(image.orElseThrow().variantMediaType(), Optional.of(IMMUTABLE), Map.of()));
            return null;
        });
        if (image.isPresent()) {
            images.record(key, image.get(), etag);
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

    /** The image as the source has it now, read and made into variants; empty if it is gone. */
    private Optional<Made> readAndMake(String key, Outcomes outcomes) {
        Optional<StoredObject> object = source.get(key, MAX_IMAGE_BYTES);
        return object.map(found -> make(key, found.content(), outcomes).withEtag(found.info().etag()));
    }

    /** The image's facts and variants; no facts if it cannot be read, with a warning saying why. */
    private static Made make(String key, byte[] content, Outcomes outcomes) {
        ImageFacts facts;
        try {
            facts = ImageHeaders.read(content.length > ImageHeaders.PREFIX_BYTES
                    ? Arrays.copyOf(content, ImageHeaders.PREFIX_BYTES) : content);
        } catch (InvalidImageException e) {
            outcomes.warn(key + " is published as it is, without sizes: " + e.getMessage());
            return new Made(Optional.empty(), List.of(), Optional.empty());
        }
        String named = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (!ContentTypes.of("x." + named).equals(facts.format().mediaType())) {
            outcomes.warn(key + " is named ." + named + " but its content is " + facts.format()
                    + "; browsers show it by its content");
        }
        Made asItIs = new Made(Optional.of(new PublishedImage(facts, "", List.of())), List.of(), Optional.empty());
        if (content.length > MAX_IMAGE_BYTES) {
            outcomes.warn(key + " is over " + MAX_IMAGE_BYTES / (1024 * 1024) + " MB: published as it is, without variants");
            return asItIs;
        }
        if (!ImageVariants.makesVariants(facts)) {
            if (facts.pixels() > ImageVariants.MAX_PIXELS) {
                outcomes.warn(key + " has " + facts.width() + "x" + facts.height() + " pixels, more than the "
                        + ImageVariants.MAX_PIXELS / 1_000_000 + "-megapixel budget: published as it is, without"
                        + " variants, and never decoded");
            }
            return asItIs;
        }
        List<ImageVariant> variants;
        try {
            variants = ImageVariants.make(facts, content);
        } catch (InvalidImageException e) {
            outcomes.warn(key + " is published as it is, without variants: " + e.getMessage());
            return asItIs;
        }
        String version = ContentHash.of(content).substring(0, 12);
        return new Made(Optional.of(new PublishedImage(facts, version,
                variants.stream().map(ImageVariant::width).sorted().toList())), variants, Optional.empty());
    }

    /** An image's facts, if it could be read, the variants to write, and the source version they come from. */
    private record Made(Optional<PublishedImage> image, List<ImageVariant> variants, Optional<String> etag) {
        Made withEtag(Optional<String> sourceEtag) {
            return new Made(image, variants, sourceEtag);
        }
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
