package dev.postrenderer.render;

import java.text.Normalizer;
import java.util.Locale;

/** The path segment of a tag's page: {@code AI art} lives at {@code tags/ai-art/}. Unicode letters stay. */
public final class TagSlug {

    private TagSlug() {
    }

    /** Lower case, words joined by hyphens, nothing but letters, digits, hyphens and underscores. */
    public static String of(String tag) {
        String text = Normalizer.normalize(tag, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder(text.length());
        boolean dash = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c) || c == '_') {
                if (dash && slug.length() > 0) {
                    slug.append('-');
                }
                dash = false;
                slug.appendCodePoint(c);
            } else {
                dash = true;
            }
        }
        return slug.length() == 0 ? "tag" : slug.toString();
    }
}
