package dev.postrenderer.post;

import java.util.Locale;

/**
 * Which URLs untrusted content may use: {@code http}, {@code https}, {@code mailto} and
 * relative references. Everything else ({@code javascript:}, {@code vbscript:}, {@code data:},
 * {@code file:}, unknown schemes) is refused.
 *
 * <p>The scheme is read the way browsers read it: HTML entities and markdown's backslash escapes
 * already resolved by the caller, ASCII tab and newline removed anywhere, leading and trailing
 * control characters and spaces ignored, case ignored; text before the first colon that is not a
 * scheme by the URL standard's grammar ({@code foo):}) makes a relative reference, as it does
 * to a browser. Thread-safe and stateless.
 */
public final class UrlPolicy {

    private UrlPolicy() {
    }

    /** True if a browser following {@code url} would only ever use an allowed scheme. */
    public static boolean isAllowed(String url) {
        String normalised = normalise(url);
        int colon = normalised.indexOf(':');
        if (colon < 0) {
            return true;
        }
        int end = firstOf(normalised, "/?#");
        if (end >= 0 && end < colon) {
            return true; // the colon is in a path, query or fragment: a relative reference
        }
        String scheme = normalised.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!isScheme(scheme)) {
            return true; // "foo):" is a path to a browser: no scheme has those characters
        }
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("mailto");
    }

    /** True for absolute {@code http(s)} URLs. */
    public static boolean isAbsoluteHttp(String url) {
        String lower = normalise(url).toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** True for URLs with a scheme ({@code mailto:x}) or a host ({@code //cdn.example}): not a path on this site. */
    public static boolean hasSchemeOrHost(String url) {
        String normalised = normalise(url);
        if (normalised.startsWith("//")) {
            return true;
        }
        int colon = normalised.indexOf(':');
        int end = firstOf(normalised, "/?#");
        return colon > 0 && (end < 0 || colon < end) && isScheme(normalised.substring(0, colon));
    }

    /** A scheme as the URL standard spells one: an ASCII letter, then letters, digits, {@code +}, {@code -} or {@code .}. */
    private static boolean isScheme(String text) {
        if (text.isEmpty() || !isAsciiLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static String normalise(String url) {
        StringBuilder out = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            out.append(c);
        }
        int start = 0;
        int end = out.length();
        while (start < end && out.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && out.charAt(end - 1) <= ' ') {
            end--;
        }
        return out.substring(start, end).replace('\\', '/');
    }

    private static int firstOf(String s, String chars) {
        int best = -1;
        for (int i = 0; i < chars.length(); i++) {
            int at = s.indexOf(chars.charAt(i));
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }
}
