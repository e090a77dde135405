package dev.postrenderer.publish;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.site.Position;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The user metadata a published page or asset carries about what made it: the source key and its
 * entity tag, the S3 sequencer of the change, the renderer version, and the date it is listed
 * under. Stale and duplicate changes, and a page's owner, are recognised by it.
 */
public final class PageMetadata {

    /** The source key, URL-encoded (user metadata travels as HTTP headers: ASCII only). */
    public static final String SOURCE_KEY = "source-key";
    public static final String SOURCE_ETAG = "source-etag";
    public static final String SEQUENCER = "sequencer";
    public static final String RENDERER = "renderer";
    /** The date the page's post is listed under, so that its entry can be found. */
    public static final String DATE = "date";
    /** A digest of the facts of the site's images a page was rendered with. */
    public static final String IMAGES = "images";

    private PageMetadata() {
    }

    /** The metadata naming a source key, its entity tag and the change's sequencer. */
    static Map<String, String> of(String sourceKey, Optional<String> sourceEtag, Optional<String> sequencer) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(SOURCE_KEY, URLEncoder.encode(sourceKey, StandardCharsets.UTF_8));
        sourceEtag.ifPresent(etag -> metadata.put(SOURCE_ETAG, etag));
        sequencer.ifPresent(value -> metadata.put(SEQUENCER, value));
        return metadata;
    }

    /** The source key a site object was published from; {@code fallback} if it names none (a folder keeps no metadata). */
    static String owner(ObjectInfo published, String fallback) {
        String encoded = published.metadata().get(SOURCE_KEY);
        if (encoded == null) {
            return fallback;
        }
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not written by this function: the raw value is the best name there is
            return encoded;
        }
    }

    /** True if a site object was published from this source key (or keeps no record of its source). */
    static boolean ownedBy(ObjectInfo published, String key) {
        return owner(published, key).equals(key);
    }

    /** Where a page's post is listed, from the date its metadata records. */
    static Position position(ObjectInfo page, String pagePath) {
        return new Position(Optional.ofNullable(page.metadata().get(DATE)).flatMap(PostDate::parse), pagePath);
    }

    /** The sequencer of the change that wrote an object, if it records one. */
    static Optional<String> sequencer(ObjectInfo published) {
        return Optional.ofNullable(published.metadata().get(SEQUENCER));
    }
}
