package dev.postrenderer.post;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A key in the source bucket (or a path relative to the source folder) and what it becomes on
 * the site, per DESIGN.md: posts get a pretty URL, assets are copied as they are, and
 * {@code _}-prefixed or hidden paths are configuration that is never published.
 *
 * <p>{@link #of(String)} rejects keys that could escape their folder or smuggle control
 * characters, so no site key derived from a {@code SourceKey} ever does.
 */
public record SourceKey(String key, Kind kind, Optional<String> siteKey) {

    /** S3's own limit on key length. */
    public static final int MAX_KEY_BYTES = 1024;

    /** What a source key is. */
    public enum Kind {
        /** A markdown post, rendered to {@code <name>/index.html}. */
        POST,
        /** The root {@code index.md}: it introduces the generated front page. */
        FRONT_PAGE,
        /** Any other file: copied byte for byte. */
        ASSET,
        /** Configuration ({@code _layouts/…}), hidden files and folder markers: never published. */
        IGNORED
    }

    public SourceKey {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(siteKey, "siteKey == null");
    }

    /**
     * Classifies a decoded source key.
     *
     * @throws InvalidPostException if the key is empty, too long, has control characters or
     *                              backslashes, or has empty, {@code .} or {@code ..} segments
     */
    public static SourceKey of(String key) {
        Objects.requireNonNull(key, "key == null");
        String problem = problemWith(key);
        if (problem != null) {
            throw new InvalidPostException(printable(key), problem);
        }
        if (key.endsWith("/")) {
            return new SourceKey(key, Kind.IGNORED, Optional.empty());
        }
        String[] segments = key.split("/", -1);
        for (String segment : segments) {
            if (segment.startsWith("_") || (segment.startsWith(".") && !segment.equals(".well-known"))) {
                return new SourceKey(key, Kind.IGNORED, Optional.empty());
            }
        }
        String name = segments[segments.length - 1];
        int extension = markdownExtension(name);
        SourceKey classified;
        if (extension < 0) {
            classified = new SourceKey(key, Kind.ASSET, Optional.of(key));
        } else {
            String folder = key.substring(0, key.length() - name.length());
            String stem = name.substring(0, extension);
            if (stem.equalsIgnoreCase("index")) {
                Kind kind = folder.isEmpty() ? Kind.FRONT_PAGE : Kind.POST;
                classified = new SourceKey(key, kind, Optional.of(folder + "index.html"));
            } else {
                classified = new SourceKey(key, Kind.POST, Optional.of(folder + stem + "/index.html"));
            }
        }
        if (classified.kind != Kind.FRONT_PAGE) {
            String reserved = reservedFor(classified.siteKey.orElseThrow());
            if (reserved != null) {
                throw new InvalidPostException(printable(key), classified.kind == Kind.ASSET
                        ? "the site key " + key + " is reserved for " + reserved + "; the file is not published"
                        : "its page would be " + classified.siteKey.get() + ", which is reserved for " + reserved);
            }
        }
        return classified;
    }

    /** The key classified, or empty if {@link #of} would refuse it (a key the publisher rejects anyway). */
    public static Optional<SourceKey> ifValid(String key) {
        try {
            return Optional.of(of(key));
        } catch (InvalidPostException e) {
            return Optional.empty();
        }
    }

    /**
     * What the generator publishes at a site key, or null if the key is free for authors: the
     * front page, the 404 page, the feed, the sitemaps, robots.txt, the favicon, the archive and
     * tag pages, and the internal state.
     */
    private static String reservedFor(String siteKey) {
        String lower = siteKey.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "index.html" -> "the generated front page";
            case "404.html" -> "the generated \"not found\" page";
            case "feed.xml" -> "the generated feed";
            case "sitemap.xml" -> "the generated sitemap";
            case "robots.txt" -> "the generated robots.txt";
            case "favicon.svg" -> "the generated favicon";
            default -> lower.startsWith("sitemaps/") ? "the generated sitemaps"
                    : lower.startsWith("page/") ? "the front page's archive pages"
                    : lower.startsWith("tags/") ? "the generated tag pages"
                    : lower.startsWith("_site/") ? "the site's internal state"
                    : null;
        };
    }

    /**
     * Which of two source keys that map to one site key publishes it, whatever the order their
     * changes arrive in: a post before an asset; {@code x/index.md} before {@code x.md}; {@code .md}
     * before {@code .markdown}; then key order. Negative if {@code this} wins.
     */
    public int precedence(SourceKey other) {
        int byKind = Boolean.compare(!isMarkdown(), !other.isMarkdown());
        if (byKind != 0) {
            return byKind;
        }
        if (isMarkdown()) {
            int byIndex = Boolean.compare(!isIndex(), !other.isIndex());
            if (byIndex != 0) {
                return byIndex;
            }
            int byExtension = Boolean.compare(!key.toLowerCase(Locale.ROOT).endsWith(".md"),
                    !other.key.toLowerCase(Locale.ROOT).endsWith(".md"));
            if (byExtension != 0) {
                return byExtension;
            }
        }
        return key.compareTo(other.key);
    }

    /**
     * Where the other source keys that could map to this key's page are, as listing prefixes:
     * for {@code posts/x/index.html}, {@code posts/x.} ({@code posts/x.md}, {@code posts/x.markdown})
     * and {@code posts/x/} ({@code posts/x/index.md}, an asset {@code posts/x/index.html}).
     * Empty for keys that can have no rival (assets not named {@code index.html}).
     */
    public List<String> rivalPrefixes() {
        String site = siteKey.orElse("");
        if (!site.endsWith("index.html") || site.equals("index.html")) {
            return List.of();
        }
        String folder = site.substring(0, site.length() - "/index.html".length());
        return List.of(folder + ".", folder + "/");
    }

    /** True if {@code other} is a key that maps to the same page as this one. */
    public boolean rivals(SourceKey other) {
        return !other.key.equals(key) && other.kind != Kind.IGNORED && other.siteKey.equals(siteKey);
    }

    private boolean isIndex() {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.toLowerCase(Locale.ROOT).startsWith("index.");
    }

    /** True for keys whose page is rendered from markdown. */
    public boolean isMarkdown() {
        return kind == Kind.POST || kind == Kind.FRONT_PAGE;
    }

    /** The page's path from the site root, with a trailing slash: {@code posts/ai-art/}; empty for the front page. */
    public String pagePath() {
        String site = siteKey.orElseThrow(() -> new IllegalStateException(key + " has no page"));
        return site.substring(0, site.length() - "index.html".length());
    }

    /** A title made from the file name, for posts that have no other: {@code no-title.md} gives {@code No title}. */
    public String fileTitle() {
        String path = kind == Kind.POST ? pagePath() : key;
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        int dot = markdownExtension(name);
        if (dot >= 0) {
            name = name.substring(0, dot);
        }
        String words = name.replace('-', ' ').replace('_', ' ').strip();
        if (words.isEmpty()) {
            return "Home";
        }
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    private static int markdownExtension(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md") && name.length() > 3) {
            return name.length() - 3;
        }
        if (lower.endsWith(".markdown") && name.length() > 9) {
            return name.length() - 9;
        }
        return -1;
    }

    private static String problemWith(String key) {
        if (key.isEmpty()) {
            return "the key is empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "the key is longer than " + MAX_KEY_BYTES + " bytes";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "the key contains a control character (U+" + String.format("%04X", (int) c) + ")";
            }
            if (c == '\\') {
                return "the key contains a backslash";
            }
            if (Character.isSurrogate(c) && !validSurrogatePair(key, i)) {
                return "the key contains an unpaired surrogate";
            }
        }
        if (key.startsWith("/")) {
            return "the key starts with '/'";
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..")) {
                return "the key has a '" + segment + "' segment, which could escape its folder";
            }
            if (segment.isEmpty() && i < segments.length - 1) {
                return "the key has an empty segment ('//')";
            }
        }
        return null;
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** The key with control characters shown as escapes, safe to put in a log line or an error message. */
    public static String printable(String key) {
        StringBuilder out = new StringBuilder(Math.min(key.length(), 300));
        for (int i = 0; i < key.length() && out.length() < 300; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= 300) {
            out.append('…');
        }
        return out.toString();
    }
}
