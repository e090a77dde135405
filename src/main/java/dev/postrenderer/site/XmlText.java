package dev.postrenderer.site;

/**
 * Text and attribute values for the XML this site writes (the feed, sitemaps). XML 1.0 cannot
 * carry C0 control characters other than tab, line feed and carriage return, nor unpaired
 * surrogates, so they are dropped rather than written into a document that would not parse.
 */
public final class XmlText {

    private XmlText() {
    }

    /** Escapes text for an element or a double-quoted attribute, dropping characters XML cannot hold. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        continue;
                    }
                    if (c == 0xFFFE || c == 0xFFFF) {
                        continue;
                    }
                    if (Character.isHighSurrogate(c)) {
                        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                            out.append(c).append(text.charAt(++i));
                        }
                        continue;
                    }
                    if (Character.isLowSurrogate(c)) {
                        continue;
                    }
                    if (c == '\r') {
                        out.append("&#13;"); // a raw CR would be normalised away by any reader
                        continue;
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
