package dev.postrenderer.publish;

import dev.postrenderer.site.ManifestJson;
import dev.postrenderer.site.SiteManifest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code _site/manifest.json} in the site store, read with its ETag and replaced only with S3
 * conditional writes ({@code If-Match} the ETag read, {@code If-None-Match: *} when there was
 * none), so concurrent writers can never lose each other's updates.
 */
public final class ManifestStore {

    /** Where the manifest lives in the site bucket. */
    public static final String KEY = "_site/manifest.json";

    private final ObjectStore site;

    public ManifestStore(ObjectStore site) {
        this.site = Objects.requireNonNull(site, "site == null");
    }

    /** The manifest as read, with the ETag a replacement must match. */
    public record Versioned(SiteManifest manifest, Optional<String> etag) {
        public Versioned {
            Objects.requireNonNull(manifest, "manifest == null");
            Objects.requireNonNull(etag, "etag == null");
        }
    }

    /**
     * The current manifest; an empty one if there is none yet. A read whose bytes do not match
     * their ETag (the MD5 of a single-part upload) is torn, and is read again.
     */
    public Versioned read() {
        IllegalArgumentException problem = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            Optional<StoredObject> object = site.get(KEY);
            if (object.isEmpty()) {
                return new Versioned(SiteManifest.EMPTY, Optional.empty());
            }
            Optional<String> etag = object.get().info().etag();
            boolean intact = etag.filter(tag -> tag.matches("[0-9a-f]{32}"))
                    .map(tag -> tag.equals(ETags.of(object.get().content()))).orElse(true);
            if (intact) {
                try {
                    return new Versioned(ManifestJson.read(object.get().content()), etag);
                } catch (IllegalArgumentException e) {
                    problem = e;
                }
            }
            pause(attempt);
        }
        throw new StoreException(KEY, "the manifest cannot be read intact: "
                + (problem == null ? "its bytes do not match its ETag" : problem.getMessage()), problem);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(KEY, "interrupted", e);
        }
    }

    /**
     * Replaces the manifest that was read with {@code next} (as its next version), if nobody
     * replaced it meanwhile.
     *
     * @return the manifest written, or empty if another writer was first
     */
    public Optional<SiteManifest> replace(Versioned read, SiteManifest next) {
        SiteManifest versioned = new SiteManifest(read.manifest().version() + 1, next.frontPage(), next.layouts(),
                next.entries());
        Precondition precondition = read.etag().map(Precondition::matching).orElse(Precondition.ABSENT);
        boolean written = site.put(KEY, ManifestJson.write(versioned),
                new PutOptions("application/json", Optional.of("no-cache"), Map.of()), precondition);
        return written ? Optional.of(versioned) : Optional.empty();
    }
}
