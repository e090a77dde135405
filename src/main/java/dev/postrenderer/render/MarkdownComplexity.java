package dev.postrenderer.render;

import java.util.Optional;

/**
 * Refuses markdown that commonmark-java 0.30 would take unbounded time on, before it is parsed.
 *
 * <p>Two costs grow with the square of a count within one paragraph (measured on 2 cores, see
 * {@code PathologicalInputTest}): emphasis delimiters ({@code *}, {@code _}, {@code ~}), whose
 * closers search back through every opener ({@code "*a " * n + "_a*_ " * n}: 12,000 of them
 * take 0.5 s, 48,000 take 15 s); and lines that do not start with a letter, for each of which
 * the block parsers copy the paragraph so far (32,000 lines of {@code |}, {@code :} or {@code (}
 * take 2–4 s). Both are summed over the post as squares, so that many paragraphs just under a
 * limit cannot add up to the same cost. A paragraph here is a run of non-blank lines outside
 * fenced code; rows of a table count per row. The limits are far above what any written post
 * has: 5,000 delimiters or 5,000 such lines in a single paragraph. Raw HTML is bounded too: the
 * number of its tags, and how many elements it leaves open at once (see {@link RawTags}).
 */
public final class MarkdownComplexity {

    /** The largest sum of squares of per-paragraph counts accepted, for each of the two costs. */
    static final long BUDGET = 25_000_000L;

    /** Each footnote reference renders as a link and a link back: 131,000 of them take 2.7 s. */
    static final long MAX_FOOTNOTE_REFERENCES = 10_000;

    /**
     * Raw HTML tags go through commonmark and then the HTML parser and sanitiser: 131,000 of them
     * inline in one paragraph take 1.4–2.2 s.
     */
    static final long MAX_HTML_TAGS = 120_000;

    /** Raw HTML elements left open nest ever deeper, and the HTML parser's work grows with the depth. */
    static final long MAX_OPEN_HTML_ELEMENTS = 10_000;

    private MarkdownComplexity() {
    }

    /** Why this markdown is too complex to render in bounded time, in words an author can act on; empty if it is not. */
    public static Optional<String> problem(String markdown) {
        Scan scan = new Scan();
        int lineNumber = 0;
        int start = 0;
        while (start <= markdown.length()) {
            int end = markdown.indexOf('\n', start);
            if (end < 0) {
                end = markdown.length();
            }
            scan.line(markdown, start, end, ++lineNumber);
            start = end + 1;
        }
        scan.endParagraph();
        if (scan.delimiterCost > BUDGET) {
            return Optional.of(tooComplex("emphasis markers (*, _, ~)", scan.worstDelimiters, scan.worstDelimitersLine));
        }
        if (scan.footnoteReferences > MAX_FOOTNOTE_REFERENCES) {
            return Optional.of("the post is too complex to render in bounded time: it has " + scan.footnoteReferences
                    + " footnote references ([^…]), more than " + MAX_FOOTNOTE_REFERENCES);
        }
        if (scan.htmlTags > MAX_HTML_TAGS) {
            return Optional.of("the post is too complex to render in bounded time: it has " + scan.htmlTags
                    + " raw HTML tags, more than " + MAX_HTML_TAGS);
        }
        if (scan.mostOpenHtml > MAX_OPEN_HTML_ELEMENTS) {
            return Optional.of("the post is too complex to render in bounded time: its raw HTML leaves "
                    + scan.mostOpenHtml + " elements open at once, more than " + MAX_OPEN_HTML_ELEMENTS
                    + "; close the tags it opens");
        }
        if (scan.lineCost > BUDGET) {
            return Optional.of(tooComplex("lines that start with punctuation, digits or indentation", scan.worstLines,
                    scan.worstLinesLine));
        }
        return Optional.empty();
    }

    private static String tooComplex(String what, long count, int line) {
        return "the post is too complex to render in bounded time: it has too many " + what
                + " in single paragraphs (the paragraph at line " + line + " of the body has " + count
                + "); break long paragraphs up with blank lines";
    }

    /** Running counts over the lines of a body. */
    private static final class Scan {
        long delimiterCost;
        long lineCost;
        long worstDelimiters;
        int worstDelimitersLine;
        long worstLines;
        int worstLinesLine;

        private String fence;
        private boolean html;
        long footnoteReferences;
        long htmlTags;
        private long openHtml;
        long mostOpenHtml;
        private boolean table;
        private boolean previousHadPipe;
        private boolean indentedCode;
        private long delimiters;
        private long lines;
        private int paragraphLine;

        void line(String text, int start, int lineEnd, int number) {
            int end = lineEnd > start && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            int first = start;
            int indent = 0;
            while (first < end && (text.charAt(first) == ' ' || text.charAt(first) == '\t')) {
                indent += text.charAt(first) == '\t' ? 4 : 1;
                first++;
            }
            if (fence != null) {
                if (indent < 4 && text.startsWith(fence, first)) {
                    fence = null;
                }
                return;
            }
            if (first == end) {
                endParagraph();
                return;
            }
            footnoteReferences += occurrences(text, "[^", first, end);
            RawTags tags = RawTags.in(text, first, end);
            htmlTags += tags.tags();
            openHtml = Math.max(0, openHtml + tags.opened());
            mostOpenHtml = Math.max(mostOpenHtml, openHtml);
            if (html) {
                return;
            }
            if (indent < 4 && HtmlBlocks.starts(text, first, end, paragraphLine == 0)) {
                // an HTML block is copied as it is, not parsed as a paragraph
                endParagraph();
                html = true;
                return;
            }
            if (indent < 4 && (text.startsWith("```", first) || text.startsWith("~~~", first))) {
                endParagraph();
                fence = text.substring(first, first + 3);
                return;
            }
            inParagraph(text, first, end, indent, number);
        }

        /** A line of a paragraph, a table or indented code, from its first non-blank character. */
        private void inParagraph(String text, int first, int end, int indent, int number) {
            if (paragraphLine == 0) {
                paragraphLine = number;
                indentedCode = indent >= 4;
            }
            if (indentedCode && indent >= 4) {
                return;
            }
            boolean pipe = has(text, '|', first, end);
            if (!table && previousHadPipe && delimiterRow(text, first, end)) {
                table = true;
            }
            previousHadPipe = pipe;
            if (table) {
                // a table row's cells are parsed on their own
                add(count(text, first, end), number);
                delimiters = 0;
                return;
            }
            if (indent < 4 && blockStart(text, first, end)) {
                // a list item or a heading starts a paragraph of its own
                endParagraph();
                paragraphLine = number;
            }
            delimiters += count(text, first, end);
            int content = first;
            while (content < end && (text.charAt(content) == '>' || text.charAt(content) == ' ')) {
                content++;
            }
            // a link reference definition is taken out of the paragraph as it is read: it costs nothing later
            if (indent >= 4 || content == end || (!asciiLetter(text.charAt(content)) && !definition(text, content, end))) {
                lines++;
            }
        }

        private void add(long rowDelimiters, int number) {
            delimiterCost += rowDelimiters * rowDelimiters;
            if (rowDelimiters > worstDelimiters) {
                worstDelimiters = rowDelimiters;
                worstDelimitersLine = number;
            }
        }

        void endParagraph() {
            if (paragraphLine > 0) {
                delimiterCost += delimiters * delimiters;
                lineCost += lines * lines;
                if (delimiters > worstDelimiters) {
                    worstDelimiters = delimiters;
                    worstDelimitersLine = paragraphLine;
                }
                if (lines > worstLines) {
                    worstLines = lines;
                    worstLinesLine = paragraphLine;
                }
            }
            delimiters = 0;
            lines = 0;
            paragraphLine = 0;
            html = false;
            table = false;
            previousHadPipe = false;
            indentedCode = false;
        }

        private static long count(String text, int from, int to) {
            long n = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c == '*' || c == '_' || c == '~') {
                    n++;
                }
            }
            return n;
        }

        /** Occurrences of {@code [^} in a line, looked for within the line only (the scan stays linear). */
        private static long occurrences(String text, String wanted, int from, int to) {
            long n = 0;
            for (int i = from; i + 1 < to; i++) {
                if (text.charAt(i) == wanted.charAt(0) && text.charAt(i + 1) == wanted.charAt(1)) {
                    n++;
                }
            }
            return n;
        }

        private static boolean has(String text, char wanted, int from, int to) {
            for (int i = from; i < to; i++) {
                if (text.charAt(i) == wanted) {
                    return true;
                }
            }
            return false;
        }

        /** A GFM table's delimiter row: pipes, dashes, colons and spaces, with at least one dash. */
        private static boolean delimiterRow(String text, int from, int to) {
            boolean dash = false;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c == '-') {
                    dash = true;
                } else if (c != '|' && c != ':' && c != ' ' && c != '\t') {
                    return false;
                }
            }
            return dash;
        }

        /** A list item marker ({@code - }, {@code * }, {@code + }, {@code 1. }, {@code 1) }) or an ATX heading. */
        private static boolean blockStart(String text, int from, int to) {
            char c = text.charAt(from);
            if (c == '-' || c == '*' || c == '+') {
                return from + 1 == to || text.charAt(from + 1) == ' ' || text.charAt(from + 1) == '\t';
            }
            if (c == '#') {
                int i = from;
                while (i < to && text.charAt(i) == '#') {
                    i++;
                }
                return i - from <= 6 && (i == to || text.charAt(i) == ' ' || text.charAt(i) == '\t');
            }
            int i = from;
            while (i < to && i - from < 9 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            return i > from && i < to && (text.charAt(i) == '.' || text.charAt(i) == ')')
                    && (i + 1 == to || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\t');
        }

        /** {@code [label]: destination}, all on one line. */
        private static boolean definition(String text, int from, int to) {
            if (text.charAt(from) != '[') {
                return false;
            }
            int close = -1;
            for (int i = from + 1; i + 1 < to && close < 0; i++) {
                char c = text.charAt(i);
                if (c == '[') {
                    return false;
                }
                if (c == ']') {
                    if (text.charAt(i + 1) != ':') {
                        return false;
                    }
                    close = i;
                }
            }
            if (close <= from + 1) {
                return false;
            }
            for (int i = close + 2; i < to; i++) {
                if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                    return true;
                }
            }
            return false;
        }

        private static boolean asciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
    }
}
