package dev.postrenderer.publish;

import dev.postrenderer.image.PublishedImage;
import dev.postrenderer.render.ImageLookup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The site's records of its published images, kept with the rest of its state under
 * {@code _site/}: one facts object per image ({@code _site/images/<key>}, a line of
 * {@link PublishedImage#encode}, with the source's entity tag in its metadata), and one empty
 * reference object per post that shows the image ({@code _site/image-refs/<digest of the image
 * key>/<post key>}), so that the image's arrival, replacement or removal renders exactly those
 * posts again.
 *
 * <p>A post writes its reference before it reads the facts, and an image writes its facts before
 * it lists its references: whichever comes second sees the other, so a post is never left
 * without the sizes of an image that arrived while it was rendered. References are never
 * contended (one object per pair) and outlive a post that stops showing the image, which then
 * only costs it one needless rendering. Thread-safe if its store is.
 */
final class SiteImages {

    static final String FACTS_PREFIX = "_site/images/";
    static final String REFERENCES_PREFIX = "_site/image-refs/";

    private static final byte[] NOTHING = new byte[0];
    private static final PutOptions STATE = new PutOptions("text/plain; charset=utf-8", Optional.of("no-store"), Map.of());

    private final ObjectStore site;

    SiteImages(ObjectStore site) {
        this.site = Objects.requireNonNull(site, "site == null");
    }

    /** The facts of the image published at a key, and the source entity tag they were read from. */
    Optional<Recorded> find(String imageKey) {
        return site.get(FACTS_PREFIX + imageKey).flatMap(object ->
                PublishedImage.decode(new String(object.content(), StandardCharsets.UTF_8)).map(image ->
                        new Recorded(image, Optional.ofNullable(object.info().metadata().get(PageMetadata.SOURCE_ETAG)))));
    }

    /** What rendering one post asks about images: recorded as its reference first, then read. */
    Seen lookupFor(String postKey) {
        return new Seen(this, postKey);
    }

    /** Records an image's facts, once its variants are written. */
    void record(String imageKey, PublishedImage image, Optional<String> sourceEtag) {
        Map<String, String> metadata = sourceEtag.map(etag -> Map.of(PageMetadata.SOURCE_ETAG, etag)).orElse(Map.of());
        site.put(FACTS_PREFIX + imageKey, image.encode().getBytes(StandardCharsets.UTF_8),
                new PutOptions(STATE.contentType(), STATE.cacheControl(), metadata));
    }

    /** Forgets an image's facts: pages rendered from now on link it as written. */
    void forget(String imageKey) {
        site.delete(FACTS_PREFIX + imageKey);
    }

    /** The posts that showed the image when they were last rendered, by source key. */
    List<String> referrers(String imageKey) {
        String folder = referenceFolder(imageKey);
        return site.list(folder).stream().map(object -> object.key().substring(folder.length())).sorted().toList();
    }

    /** Deletes the image's variants but those of one version, if given (the current one). */
    void deleteVariants(String imageKey, Optional<String> keptVersion) {
        String folder = PublishedImage.variantFolder(imageKey);
        site.list(folder).stream().map(ObjectInfo::key)
                .filter(key -> keptVersion.filter(version -> key.startsWith(folder + version + "-")).isEmpty())
                .forEach(site::delete);
    }

    /** The folder of an image's references: a digest, so that any key makes a short, plain folder name. */
    private static String referenceFolder(String imageKey) {
        return REFERENCES_PREFIX + ContentHash.of(imageKey.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + "/";
    }

    /**
     * The lookup one post is rendered with, and what it found: a digest of it goes into the page's
     * metadata, so that a page rendered again only because an image changed is not taken for the
     * very page an earlier attempt wrote. Used by one rendering at a time.
     */
    static final class Seen implements ImageLookup {
        private final SiteImages images;
        private final String postKey;
        private final SortedMap<String, String> found = new TreeMap<>();

        private Seen(SiteImages images, String postKey) {
            this.images = images;
            this.postKey = postKey;
        }

        @Override
        public Optional<PublishedImage> find(String sitePath) {
            images.site.put(referenceFolder(sitePath) + postKey, NOTHING, STATE);
            Optional<PublishedImage> image = images.find(sitePath).map(Recorded::image);
            synchronized (found) {
                found.put(sitePath, image.map(PublishedImage::encode).orElse("-"));
            }
            return image;
        }

        /** A digest of the images found and what was known of each; empty if the page shows none of the site's. */
        Optional<String> digest() {
            synchronized (found) {
                return found.isEmpty() ? Optional.empty() : Optional.of(ContentHash.of(found.toString()
                        .getBytes(StandardCharsets.UTF_8)).substring(0, 16));
            }
        }
    }

    /** Facts as recorded, with the entity tag of the source version they describe. */
    record Recorded(PublishedImage image, Optional<String> sourceEtag) {
    }
}
