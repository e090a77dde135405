package dev.postrenderer.render;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.footnotes.FootnoteDefinition;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.Document;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;

/**
 * The parts of a post's body that hold raw HTML, so that only they go through the HTML sanitiser:
 * runs of top-level blocks, each starting at a block with raw HTML and going on while the raw HTML
 * seen so far leaves an element open (a {@code <details>} block, markdown, then its
 * {@code </details>} block are one region). The blocks outside every region hold no raw HTML at
 * all, so their HTML is commonmark's own, as for a post without raw HTML.
 *
 * <p>DESIGN. The regions are found in the document, marked in the rendered HTML with comment
 * markers, and cut out of it there. A marker could only be forged by raw HTML that contains it,
 * which means a source that contains it: such a source, a footnote holding raw HTML (footnotes are
 * rendered away from their blocks), or markers that do not pair up all make
 * {@link #find} or {@link #sanitize} give up, and the whole body is sanitised, as before.
 */
final class RawHtmlRegions {

    private static final String MARKER = "post-renderer:raw-html-region";
    private static final String START = "<!--" + MARKER + ":start-->";
    private static final String END = "<!--" + MARKER + ":end-->";
    /** An id as commonmark writes it. */
    private static final Pattern ID = Pattern.compile(" id=\"([^\"]*)\"");

    private final List<List<Node>> regions;
    private final Set<Node> blocks;

    private RawHtmlRegions(List<List<Node>> regions) {
        this.regions = regions;
        this.blocks = Collections.newSetFromMap(new IdentityHashMap<>());
        regions.forEach(blocks::addAll);
    }

    /**
     * The regions of a document with raw HTML; empty if the body must be sanitised whole.
     *
     * @param markdown the source the document was parsed from
     */
    static Optional<RawHtmlRegions> find(Document document, String markdown) {
        if (markdown.contains(MARKER)) {
            return Optional.empty();
        }
        List<List<Node>> regions = new ArrayList<>();
        List<Node> region = null;
        int open = 0;
        int blocks = 0;
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            blocks++;
            RawHtml raw = RawHtml.in(block);
            if (raw.inFootnote) {
                return Optional.empty();
            }
            if (region == null && raw.found) {
                region = new ArrayList<>();
                regions.add(region);
            }
            if (region != null) {
                region.add(block);
                open = Math.max(0, open + raw.opened);
                if (open == 0) {
                    region = null;
                }
            }
        }
        if (regions.size() == 1 && regions.get(0).size() == blocks) {
            // one region from the first block to the last: that is the whole body, without markers
            return Optional.empty();
        }
        return Optional.of(new RawHtmlRegions(regions));
    }

    /** True if a node lies in a region (its HTML will be sanitised). */
    boolean contains(Node node) {
        Node block = node;
        while (block.getParent() != null && !(block.getParent() instanceof Document)) {
            block = block.getParent();
        }
        return blocks.contains(block);
    }

    /** Puts the markers around each region, for the renderer to write into the HTML. */
    void mark() {
        for (List<Node> region : regions) {
            region.get(0).insertBefore(marker(START));
            region.get(region.size() - 1).insertAfter(marker(END));
        }
    }

    /**
     * Sanitises the regions of the rendered HTML and keeps the rest as it is.
     *
     * @param sanitizer sanitises one region's HTML, given the ids used around it so far
     * @return empty if the markers in the HTML are not the ones {@link #mark} put there
     */
    Optional<String> sanitize(String html, RegionSanitizer sanitizer) {
        List<String> outside = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        int at = 0;
        for (int start = html.indexOf(START); start >= 0; start = html.indexOf(START, at)) {
            int end = html.indexOf(END, start);
            int nextStart = html.indexOf(START, start + START.length());
            if (end < 0 || (nextStart >= 0 && nextStart < end)) {
                return Optional.empty();
            }
            outside.add(html.substring(at, start));
            // each marker is a block of its own line: the line goes with it
            inside.add(html.substring(start + START.length(), end).strip());
            at = end + END.length();
            if (at < html.length() && html.charAt(at) == '\n') {
                at++;
            }
        }
        if (inside.size() != regions.size() || html.indexOf(END, at) >= 0) {
            return Optional.empty();
        }
        outside.add(html.substring(at));
        // ids of commonmark's own elements (heading anchors, footnotes) keep theirs
        Set<String> ids = new HashSet<>();
        for (String part : outside) {
            Matcher id = ID.matcher(part);
            while (id.find()) {
                ids.add(id.group(1));
            }
        }
        StringBuilder result = new StringBuilder(html.length());
        for (int i = 0; i < inside.size(); i++) {
            result.append(outside.get(i));
            String clean = sanitizer.sanitize(inside.get(i), ids);
            if (!clean.isEmpty()) {
                result.append(clean).append('\n');
            }
        }
        result.append(outside.get(inside.size()));
        return Optional.of(result.toString());
    }

    /** Sanitises one region's HTML, dropping ids already taken (and adding its own to them). */
    @FunctionalInterface
    interface RegionSanitizer {
        String sanitize(String html, Set<String> takenIds);
    }

    private static HtmlBlock marker(String literal) {
        HtmlBlock marker = new HtmlBlock();
        marker.setLiteral(literal);
        return marker;
    }

    /** What raw HTML a block holds: any at all, inside a footnote, and how many elements it leaves open. */
    private static final class RawHtml extends AbstractVisitor {
        boolean found;
        boolean inFootnote;
        int opened;
        private int footnoteDepth;

        static RawHtml in(Node block) {
            RawHtml raw = new RawHtml();
            block.accept(raw);
            return raw;
        }

        @Override
        public void visit(HtmlBlock htmlBlock) {
            raw(htmlBlock.getLiteral());
        }

        @Override
        public void visit(HtmlInline htmlInline) {
            raw(htmlInline.getLiteral());
        }

        @Override
        public void visit(CustomBlock block) {
            boolean footnote = block instanceof FootnoteDefinition;
            footnoteDepth += footnote ? 1 : 0;
            visitChildren(block);
            footnoteDepth -= footnote ? 1 : 0;
        }

        private void raw(String literal) {
            found = true;
            inFootnote |= footnoteDepth > 0;
            opened += RawTags.in(literal, 0, literal.length()).opened();
        }
    }
}
