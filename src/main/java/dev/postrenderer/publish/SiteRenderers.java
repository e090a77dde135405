package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.PageRenderer;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.site.AtomFeed;
import dev.postrenderer.site.SitePages;
import dev.postrenderer.site.Sitemaps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The renderers of a site, with its custom layouts: {@code _layouts/post.mustache},
 * {@code _layouts/index.mustache}, … in the source override the bundled templates of the same
 * name. Layouts are loaded once per fingerprint (a digest of their keys and ETags, recorded in
 * the manifest), so a warm function reads them only after they change. Thread-safe.
 */
public final class SiteRenderers {

    /** Where custom layouts live in the source. */
    public static final String PREFIX = "_layouts/";

    private final RenderOptions options;
    private final ObjectStore source;
    private final Renderers bundled;
    private final Map<String, Renderers> loaded = new ConcurrentHashMap<>();

    /**
     * The renderers of one set of layouts: of the posts' pages and of the HTML pages around them,
     * which use the layouts, and the feed's and the sitemaps' writers, which do not.
     */
    public record Renderers(String layouts, PageRenderer pages, SitePages site, AtomFeed feed, Sitemaps sitemaps) {
    }

    public SiteRenderers(RenderOptions options, ObjectStore source) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.source = Objects.requireNonNull(source, "source == null");
        this.bundled = renderers("", PageLayout.bundled());
    }

    /** The renderers of the bundled layouts, when the source has none of its own. */
    public Renderers bundled() {
        return bundled;
    }

    /** The renderers for the layouts a manifest names; loaded from the source on first use. */
    public Renderers forLayouts(String fingerprint) {
        if (fingerprint.isEmpty()) {
            return bundled;
        }
        Renderers cached = loaded.get(fingerprint);
        return cached != null ? cached : current();
    }

    /** The renderers for the layouts in the source now. */
    public Renderers current() {
        List<ObjectInfo> files = layoutFiles();
        if (files.isEmpty()) {
            return bundled;
        }
        String fingerprint = fingerprint(files);
        return loaded.computeIfAbsent(fingerprint, print -> load(print, files));
    }

    private Renderers load(String fingerprint, List<ObjectInfo> files) {
        Map<String, String> templates = new TreeMap<>();
        for (ObjectInfo file : files) {
            source.get(file.key()).ifPresent(object ->
                    templates.put(file.key().substring(PREFIX.length()), new String(object.content(), StandardCharsets.UTF_8)));
        }
        PageLayout layout = PageLayout.withOverrides(templates);
        try {
            layout.check();
        } catch (RuntimeException e) {
            throw new InvalidPostException(PREFIX, "a custom layout does not compile: " + e.getMessage(), e);
        }
        return renderers(fingerprint, layout);
    }

    private Renderers renderers(String fingerprint, PageLayout layout) {
        return new Renderers(fingerprint, new PageRenderer(options, layout), new SitePages(options, layout),
                new AtomFeed(options), new Sitemaps(options));
    }

    private List<ObjectInfo> layoutFiles() {
        return source.list(PREFIX).stream()
                .filter(file -> file.key().endsWith(".mustache") || file.key().endsWith(".css"))
                .filter(file -> file.key().indexOf('/', PREFIX.length()) < 0)
                .toList();
    }

    private static String fingerprint(List<ObjectInfo> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ObjectInfo file : files) {
                digest.update((file.key() + "\0" + file.etag().orElse(Long.toString(file.size())) + "\0")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
