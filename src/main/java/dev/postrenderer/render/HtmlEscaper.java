package dev.postrenderer.render;

/** Escapes text for HTML element content and for double-quoted attribute values. Stateless and thread-safe. */
public final class HtmlEscaper {

    private HtmlEscaper() {
    }

    /** Escapes {@code & < > "} so the value can never end its context, in text or in a double-quoted attribute. */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (replacement == null) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            out.append(replacement);
        }
        return out == null ? text : out.toString();
    }

    /** Collapses runs of whitespace (newlines included) into single spaces and trims the ends. */
    public static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The text without the control characters HTML does not allow (C0 controls other than tab,
     * line feed, form feed and carriage return, and DEL), which YAML escapes such as {@code "\a"}
     * can put into a title. Returns the same string when there are none, which is nearly always.
     */
    public static String withoutControls(String text) {
        int first = -1;
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7f;
    }
}
