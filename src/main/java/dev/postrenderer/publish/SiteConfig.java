package dev.postrenderer.publish;

import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of the function and the command line, read from the environment variables of
 * DESIGN.md: {@code SITE_BUCKET}, {@code SITE_URL}, {@code SITE_NAME}, {@code SITE_LANG},
 * {@code RAW_HTML}, {@code MAX_POST_BYTES}, {@code CACHE_CONTROL}, {@code ASSET_CACHE_CONTROL},
 * {@code FEED_ENTRIES}, {@code S3_ENDPOINT}.
 *
 * @param render            how pages render
 * @param maxPostBytes      larger posts are rejected
 * @param cacheControl      the {@code Cache-Control} of pages, feeds and sitemaps, which change as posts do
 * @param assetCacheControl the {@code Cache-Control} of copied assets, which rarely change
 * @param feedEntries       how many of the newest posts the feed holds
 * @param siteBucket   the bucket that receives pages (required on Lambda only)
 * @param s3Endpoint   an S3-compatible endpoint for local runs
 */
public record SiteConfig(RenderOptions render, int maxPostBytes, String cacheControl, String assetCacheControl,
                         int feedEntries, Optional<String> siteBucket, Optional<String> s3Endpoint) {

    /** Default {@code MAX_POST_BYTES}: 512 KiB. */
    public static final int DEFAULT_MAX_POST_BYTES = 524_288;

    /** Default {@code CACHE_CONTROL}. */
    public static final String DEFAULT_CACHE_CONTROL = "public, max-age=300";

    /** Default {@code ASSET_CACHE_CONTROL}: a day; an asset replaced under the same name shows within it. */
    public static final String DEFAULT_ASSET_CACHE_CONTROL = "public, max-age=86400";

    /**
     * Default {@code FEED_ENTRIES}: the 20 newest posts, with their full content, as feed readers show
     * a blog (jekyll-feed keeps 10, Hugo every post); each costs the feed's readers its bytes.
     */
    public static final int DEFAULT_FEED_ENTRIES = 20;

    public SiteConfig {
        Objects.requireNonNull(render, "render == null");
        Objects.requireNonNull(cacheControl, "cacheControl == null");
        Objects.requireNonNull(assetCacheControl, "assetCacheControl == null");
        Objects.requireNonNull(siteBucket, "siteBucket == null");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint == null");
        if (maxPostBytes <= 0) {
            throw new IllegalArgumentException("MAX_POST_BYTES must be a positive number of bytes: " + maxPostBytes);
        }
        if (feedEntries < 1 || feedEntries > 1000) {
            throw new IllegalArgumentException("FEED_ENTRIES must be a number of posts from 1 to 1000: " + feedEntries);
        }
    }

    /**
     * Reads the settings from environment variables.
     *
     * @throws IllegalArgumentException naming the variable whose value is invalid
     */
    public static SiteConfig fromEnvironment(Map<String, String> env) {
        RenderOptions render = new RenderOptions(
                value(env, "SITE_URL"),
                value(env, "SITE_NAME"),
                value(env, "SITE_LANG").orElse("en"),
                value(env, "RAW_HTML").map(RawHtmlPolicy::parse).orElse(RawHtmlPolicy.SANITIZE),
                value(env, "SITE_DESCRIPTION"));
        int maxPostBytes = value(env, "MAX_POST_BYTES").map(text -> number("MAX_POST_BYTES", text, "bytes"))
                .orElse(DEFAULT_MAX_POST_BYTES);
        int feedEntries = value(env, "FEED_ENTRIES").map(text -> number("FEED_ENTRIES", text, "posts"))
                .orElse(DEFAULT_FEED_ENTRIES);
        return new SiteConfig(render, maxPostBytes, value(env, "CACHE_CONTROL").orElse(DEFAULT_CACHE_CONTROL),
                value(env, "ASSET_CACHE_CONTROL").orElse(DEFAULT_ASSET_CACHE_CONTROL), feedEntries,
                value(env, "SITE_BUCKET"), value(env, "S3_ENDPOINT"));
    }

    /** These settings with other render options. */
    public SiteConfig withRender(RenderOptions options) {
        return new SiteConfig(options, maxPostBytes, cacheControl, assetCacheControl, feedEntries, siteBucket,
                s3Endpoint);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static int number(String name, String text, String unit) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of " + unit + ", not '" + text + "'", e);
        }
    }
}
