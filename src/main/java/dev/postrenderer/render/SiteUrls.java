package dev.postrenderer.render;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * URL arithmetic for a site whose pages live at pretty URLs: percent-encoding exactly once,
 * resolving relative references against a source key, and relative paths between pages.
 * Stateless and thread-safe.
 */
public final class SiteUrls {

    private static final String UNRESERVED = "-._~!$&'()*+,;=:@/?#[]";
    private static final String PATH_SAFE = "-._~!$&'()*+,;=:@/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SiteUrls() {
    }

    /**
     * Percent-encodes what a URL may not contain as it is (spaces, non-ASCII, quotes, angle
     * brackets), leaving valid {@code %XX} escapes and reserved characters alone, so that
     * encoding an encoded URL changes nothing.
     */
    public static String encode(String url) {
        return encode(url, UNRESERVED);
    }

    /** Like {@link #encode(String)} for a path from the site root, where {@code ?} and {@code #} are part of a name. */
    public static String encodePath(String path) {
        return encode(path, PATH_SAFE);
    }

    private static String encode(String url, String safe) {
        StringBuilder out = null;
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || safe.indexOf(c) >= 0
                    || (c == '%' && i + 2 < url.length() && isHex(url.charAt(i + 1)) && isHex(url.charAt(i + 2)));
            if (keep) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(url.length() + 16).append(url, 0, i);
            }
            int codePoint = url.codePointAt(i);
            if (Character.charCount(codePoint) == 2) {
                i++;
            }
            for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out == null ? url : out.toString();
    }

    /** Decodes {@code %XX} escapes as UTF-8 ({@code +} stays a plus: this is a path, not a form); empty if malformed. */
    public static Optional<String> decodePath(String path) {
        if (path.indexOf('%') < 0) {
            return Optional.of(path);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
                    return Optional.empty();
                }
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < path.length()) {
                    encoded = path.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        return Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * Resolves a relative path against a folder, both relative to the site root.
     *
     * @param folder a folder path ending in {@code /}, or empty for the root
     * @return the normalised path from the root, or empty if it climbs above the root
     */
    public static Optional<String> resolve(String folder, String relative) {
        List<String> segments = new ArrayList<>();
        String joined = relative.startsWith("/") ? relative.substring(1) : folder + relative;
        String[] parts = joined.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.remove(segments.size() - 1);
                if (last) {
                    segments.add("");
                }
            } else if (part.equals(".")) {
                if (last) {
                    segments.add("");
                }
            } else if (!part.isEmpty() || last) {
                segments.add(part);
            }
        }
        return Optional.of(String.join("/", segments));
    }

    /**
     * The relative reference from a page's folder to a path, both from the site root:
     * from {@code posts/a/} to {@code img/x.png} is {@code ../../img/x.png}.
     */
    public static String relative(String fromFolder, String toPath) {
        return relative(segments(fromFolder), toPath);
    }

    /** The segments of a folder path ({@code posts/a/} has {@code posts} and {@code a}), for {@link #relative(String[], String)}. */
    static String[] segments(String folder) {
        return folder.isEmpty() ? new String[0] : folder.split("/");
    }

    /** {@link #relative(String, String)} from a folder already split into segments. */
    static String relative(String[] from, String toPath) {
        String[] to = toPath.split("/", -1);
        int common = 0;
        while (common < from.length && common < to.length - 1 && from[common].equals(to[common])) {
            common++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = common; i < from.length; i++) {
            out.append("../");
        }
        for (int i = common; i < to.length; i++) {
            out.append(to[i]);
            if (i < to.length - 1) {
                out.append('/');
            }
        }
        return out.length() == 0 ? "./" : out.toString();
    }

    /** The absolute URL of a path from the site root: {@code https://blog.example.com/posts/a/}. */
    public static String absolute(String siteUrl, String path) {
        return siteUrl + "/" + encodePath(path);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
