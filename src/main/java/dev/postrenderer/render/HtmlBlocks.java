package dev.postrenderer.render;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The starts of CommonMark's HTML blocks (spec 0.31, section 4.6), recognised on one line. */
final class HtmlBlocks {

    private static final Set<String> BLOCK_TAGS = Set.of("address", "article", "aside", "base", "basefont",
            "blockquote", "body", "caption", "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div",
            "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
            "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
            "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section", "summary",
            "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul");
    private static final Set<String> RAW_TAGS = Set.of("script", "pre", "style", "textarea");
    /** Type 7: a whole open or closing tag, alone on its line. */
    private static final Pattern COMPLETE_TAG = Pattern.compile(
            "(?:<[A-Za-z][A-Za-z0-9-]*(?:\\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\\s*=\\s*(?:[^\\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
                    + "\\s*/?>|</[A-Za-z][A-Za-z0-9-]*\\s*>)\\s*");

    private HtmlBlocks() {
    }

    /**
     * True if the line from {@code from} (past its indentation) starts an HTML block.
     *
     * @param paragraphStart false inside a paragraph, which a type 7 block cannot interrupt
     */
    static boolean starts(String text, int from, int to, boolean paragraphStart) {
        if (to - from < 2 || text.charAt(from) != '<') {
            return false;
        }
        if (text.startsWith("<!--", from) || text.startsWith("<?", from) || text.startsWith("<![CDATA[", from)) {
            return true;
        }
        char second = text.charAt(from + 1);
        if (second == '!') {
            return to - from > 2 && asciiLetter(text.charAt(from + 2));
        }
        int nameStart = second == '/' ? from + 2 : from + 1;
        int nameEnd = nameStart;
        while (nameEnd < to && (asciiLetter(text.charAt(nameEnd)) || Character.isDigit(text.charAt(nameEnd)))) {
            nameEnd++;
        }
        String name = text.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
        boolean ends = nameEnd == to || text.charAt(nameEnd) == ' ' || text.charAt(nameEnd) == '\t'
                || text.charAt(nameEnd) == '>' || text.startsWith("/>", nameEnd);
        if (second != '/' && RAW_TAGS.contains(name) && ends) {
            return true;
        }
        if (BLOCK_TAGS.contains(name) && ends) {
            return true;
        }
        return paragraphStart && to - from <= 4096 && COMPLETE_TAG.matcher(text).region(from, to).matches();
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
