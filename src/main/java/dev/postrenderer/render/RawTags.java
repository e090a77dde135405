package dev.postrenderer.render;

import java.util.Locale;
import java.util.Set;

/**
 * Counts the tags in a piece of raw HTML, and how many elements they leave open, in one linear
 * scan (a post at the size cap can hold 100,000 tags; a regular expression costs a multiple).
 * Approximate by design: a {@code >} inside a quoted attribute ends the tag early, which only
 * shifts what the counts are used for (budgets and region extents), never what is sanitised.
 *
 * @param tags   start and end tags
 * @param opened elements opened and not closed (negative if more are closed than opened)
 */
record RawTags(int tags, int opened) {

    /** Elements without an end tag, which never leave anything open. */
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
            "meta", "source", "track", "wbr", "param", "keygen");

    /** The tags of {@code text} between {@code from} and {@code to}; no scan looks past {@code to}. */
    static RawTags in(String text, int from, int to) {
        int tags = 0;
        int opened = 0;
        int at = next(text, '<', from, to);
        while (at >= 0 && at + 1 < to) {
            int name = at + 1;
            boolean closing = text.charAt(name) == '/';
            if (closing) {
                name++;
            }
            int nameEnd = name;
            while (nameEnd < to && nameChar(text.charAt(nameEnd), nameEnd == name)) {
                nameEnd++;
            }
            if (nameEnd == name) {
                at = next(text, '<', at + 1, to);
                continue;
            }
            int end = next(text, '>', nameEnd, to);
            if (end < 0) {
                // no later tag can end either: stop rather than search again from each '<'
                break;
            }
            tags++;
            boolean selfClosing = text.charAt(end - 1) == '/';
            if (!selfClosing && !VOID.contains(text.substring(name, nameEnd).toLowerCase(Locale.ROOT))) {
                opened += closing ? -1 : 1;
            }
            at = next(text, '<', end + 1, to);
        }
        return new RawTags(tags, opened);
    }

    private static int next(String text, char wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean nameChar(char c, boolean first) {
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return first ? letter : letter || (c >= '0' && c <= '9') || c == '-';
    }
}
