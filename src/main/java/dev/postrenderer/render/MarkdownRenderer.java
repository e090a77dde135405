package dev.postrenderer.render;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.post.UrlPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.commonmark.Extension;
import org.commonmark.ext.footnotes.FootnotesExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.ext.task.list.items.TaskListItemMarker;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.ext.footnotes.FootnoteDefinition;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Document;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown to HTML with commonmark-java: CommonMark plus GFM tables, strikethrough, autolinks
 * ({@link GfmAutolinks}), task lists, footnotes and heading anchors (stable {@code id}s).
 *
 * <p>Links and images with a URL outside {@link UrlPolicy} lose the URL (the text stays);
 * relative ones are rewritten for the pretty URL; every level-one heading but a leading one is
 * rendered as {@code h2}, so a page has exactly one {@code h1}. Raw HTML follows the
 * {@link RawHtmlPolicy}: when it is sanitised, only the blocks that contain raw HTML pay for the
 * HTML parser (see {@link RawHtmlRegions}). Immutable and thread-safe.
 */
public final class MarkdownRenderer {

    private static final int DESCRIPTION_LENGTH = 160;
    private static final String FOOTNOTES = "<section class=\"footnotes\" data-footnotes>\n";
    private static final String FOOTNOTES_HEADING = "<h2 class=\"visually-hidden\" id=\"footnotes-label\">Footnotes</h2>\n";
    private static final List<Extension> EXTENSIONS = List.of(
            TablesExtension.create(),
            StrikethroughExtension.create(),
            TaskListItemsExtension.create(),
            FootnotesExtension.create(),
            HeadingAnchorExtension.create());

    private final RawHtmlPolicy policy;
    private final Parser parser;
    private final HtmlRenderer renderer;
    /** Made on first use: most posts have no raw HTML, and jsoup is 250 classes to load. */
    private volatile HtmlSanitizer sanitizer;

    public MarkdownRenderer(RawHtmlPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy == null");
        // block source spans give code block warnings their line
        this.parser = Parser.builder().extensions(EXTENSIONS).postProcessor(new GfmAutolinks())
                .includeSourceSpans(IncludeSourceSpans.BLOCKS).build();
        // URLs are checked and percent-encoded once, by the visitor (or the sanitiser), not by the
        // renderer: commonmark's regex-based encoder cost a third of the rendering time
        this.renderer = HtmlRenderer.builder()
                .extensions(EXTENSIONS)
                .escapeHtml(policy == RawHtmlPolicy.ESCAPE)
                .attributeProviderFactory(context -> BODY_ATTRIBUTES)
                .nodeRendererFactory(CodeBlocks.Writer::new)
                .build();
    }

    /** Renders a post body; {@code source} anchors its relative links. */
    public RenderedBody render(String markdown, SourceKey source) {
        return render(markdown, source, 1);
    }

    /**
     * Renders a post body.
     *
     * @param source    anchors its relative links
     * @param firstLine the line of the source file the body starts on, for warnings
     */
    public RenderedBody render(String markdown, SourceKey source, int firstLine) {
        return render(markdown, source, firstLine, ImageLookup.NONE);
    }

    /**
     * Renders a post body.
     *
     * @param source    anchors its relative links
     * @param firstLine the line of the source file the body starts on, for warnings
     * @param images    the site's published images, which give the body's images sizes and variants
     */
    public RenderedBody render(String markdown, SourceKey source, int firstLine, ImageLookup images) {
        Optional<String> tooComplex = MarkdownComplexity.problem(markdown);
        if (tooComplex.isPresent()) {
            throw new InvalidPostException(source.key(), tooComplex.get());
        }
        return render(markdown, source, firstLine, images, true);
    }

    /** @param byRegion sanitise only the regions with raw HTML if they can be found, else the whole body */
    private RenderedBody render(String markdown, SourceKey source, int firstLine, ImageLookup images,
                                boolean byRegion) {
        Document document = (Document) parser.parse(markdown);
        BodyVisitor body = new BodyVisitor();
        document.accept(body);
        List<String> warnings = new ArrayList<>();
        // before the regions are found: a highlighted block is one node, with no raw HTML in it
        boolean hasCode = CodeBlocks.render(body.fences, firstLine, warnings);
        LinkRewriter links = new LinkRewriter(source);
        boolean sanitize = policy == RawHtmlPolicy.SANITIZE && body.rawHtml;
        Optional<RawHtmlRegions> regions = sanitize && byRegion ? RawHtmlRegions.find(document, markdown)
                : Optional.empty();
        // the sanitiser rewrites and encodes the links it sees itself, raw and markdown alike
        Predicate<Node> sanitised = node -> sanitize && regions.map(found -> found.contains(node)).orElse(true);
        for (Link link : body.links) {
            if (!sanitised.test(link)) {
                link.setDestination(SiteUrls.encode(links.rewrite(link.getDestination())));
            }
        }
        boolean first = true;
        for (Image image : body.images) {
            if (!sanitised.test(image)) {
                sized(image, links, source.pagePath(), images, first);
            }
            first = false;
        }
        if (policy == RawHtmlPolicy.ALLOW) {
            for (Node raw : body.raw) {
                trust(raw, url -> SiteUrls.encode(links.rewrite(url)));
            }
        }
        regions.ifPresent(RawHtmlRegions::mark);
        String html = renderer.render(document);
        if (body.footnotes) {
            html = withFootnotesHeading(html);
        }
        if (regions.isPresent()) {
            HtmlSanitizer sanitizer = sanitizer();
            Optional<String> clean = regions.get().sanitize(html, (part, ids) -> sanitizer.sanitize(part,
                    links::rewrite, ids));
            if (clean.isEmpty()) {
                // markers that do not pair up: never expected, and the whole body is the safe way
                return render(markdown, source, firstLine, images, false);
            }
            html = clean.get();
        } else if (sanitize) {
            html = sanitizer().sanitize(html, links::rewrite);
        }
        Optional<String> titleHtml = Optional.empty();
        if (body.leadingH1) {
            int end = html.indexOf("</h1>") + "</h1>".length();
            titleHtml = Optional.of(html.substring(0, end));
            int start = end;
            while (start < html.length() && Character.isWhitespace(html.charAt(start))) {
                start++;
            }
            html = html.substring(start);
        }
        return new RenderedBody(titleHtml, html, body.firstHeading, body.firstParagraph.map(MarkdownRenderer::summary),
                hasCode, warnings);
    }

    /**
     * Rewrites an image's URL for the page, and gives it its attributes: sizes and variants when it
     * is one of the site's published images ({@link ResponsiveImage}); loaded lazily unless it is
     * the body's first image, which is likely in view when the page opens.
     */
    private static void sized(Image image, LinkRewriter links, String pagePath, ImageLookup images, boolean first) {
        String written = image.getDestination();
        image.setDestination(SiteUrls.encode(links.rewrite(written)));
        Map<String, String> attributes = new LinkedHashMap<>();
        links.sitePath(written).filter(ImageLookup::isRasterImage).ifPresent(path -> images.find(path).ifPresent(found ->
                attributes.putAll(ResponsiveImage.attributes(path, ResponsiveImage.from(pagePath), Optional.of(found), OptionalInt.empty(),
                        OptionalInt.empty(), ResponsiveImage.COLUMN))));
        if (!attributes.containsKey("srcset")) {
            attributes.remove("src"); // the original's, as written: the rewritten destination keeps its query
        }
        if (!first) {
            attributes.put("loading", "lazy");
        }
        attributes.put("decoding", "async");
        image.appendChild(new ImageAttributes(attributes));
    }

    /**
     * Attributes an {@code <img>} gets besides its {@code src} and {@code alt}, carried by the image
     * node itself for the renderer's attribute provider; it adds nothing to the alt text.
     */
    private static final class ImageAttributes extends CustomNode {
        private final Map<String, String> attributes;

        ImageAttributes(Map<String, String> attributes) {
            this.attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes)); // in order: pages are compared byte for byte
        }
    }

    /** Raw HTML kept as written under {@code allow}, but filtered and with its URLs rewritten ({@link TrustedRawHtml}). */
    private static void trust(Node raw, java.util.function.UnaryOperator<String> rewrite) {
        if (raw instanceof HtmlBlock block) {
            block.setLiteral(TrustedRawHtml.of(block.getLiteral(), rewrite));
        } else if (raw instanceof HtmlInline inline) {
            inline.setLiteral(TrustedRawHtml.of(inline.getLiteral(), rewrite));
        }
    }

    private HtmlSanitizer sanitizer() {
        HtmlSanitizer current = sanitizer;
        if (current == null) {
            current = new HtmlSanitizer();
            sanitizer = current;
        }
        return current;
    }

    /** A section needs a heading to be navigable; GitHub gives footnotes a visually hidden one too. */
    private static String withFootnotesHeading(String html) {
        int at = html.lastIndexOf(FOOTNOTES);
        if (at < 0) {
            return html;
        }
        int end = at + FOOTNOTES.length();
        return html.substring(0, end) + FOOTNOTES_HEADING + html.substring(end);
    }

    /** Cuts a paragraph at a word boundary near {@value #DESCRIPTION_LENGTH} characters. */
    static String summary(String text) {
        if (text.length() <= DESCRIPTION_LENGTH) {
            return text;
        }
        int cut = text.lastIndexOf(' ', DESCRIPTION_LENGTH - 1);
        if (cut < DESCRIPTION_LENGTH / 2) {
            cut = DESCRIPTION_LENGTH - 1;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
        }
        String head = text.substring(0, cut).stripTrailing();
        while (!head.isEmpty() && ",;:-–—".indexOf(head.charAt(head.length() - 1)) >= 0) {
            head = head.substring(0, head.length() - 1).stripTrailing();
        }
        return head + "…";
    }

    /** One pass over the document: links and images to rewrite, raw HTML, headings and the first paragraph. */
    private static final class BodyVisitor extends AbstractVisitor {
        final List<Link> links = new ArrayList<>();
        final List<Image> images = new ArrayList<>();
        final List<Node> raw = new ArrayList<>();
        final List<FencedCodeBlock> fences = new ArrayList<>();
        boolean rawHtml;
        boolean leadingH1;
        boolean footnotes;
        Optional<String> firstHeading = Optional.empty();
        Optional<String> firstParagraph = Optional.empty();

        @Override
        public void visit(Heading heading) {
            if (heading.getLevel() == 1) {
                if (firstHeading.isEmpty()) {
                    firstHeading = Optional.of(PlainText.of(heading)).filter(s -> !s.isEmpty());
                }
                boolean leading = heading.getParent() instanceof Document && onlyDefinitionsBefore(heading);
                if (leading) {
                    leadingH1 = true;
                } else {
                    heading.setLevel(2);
                }
            }
            visitChildren(heading);
        }

        @Override
        public void visit(Paragraph paragraph) {
            if (firstParagraph.isEmpty() && paragraph.getParent() instanceof Document) {
                firstParagraph = Optional.of(PlainText.of(paragraph)).filter(s -> !s.isEmpty());
            }
            visitChildren(paragraph);
        }

        @Override
        public void visit(Link link) {
            if (UrlPolicy.isAllowed(link.getDestination())) {
                links.add(link);
                visitChildren(link);
            } else {
                unwrap(link);
            }
        }

        @Override
        public void visit(Image image) {
            if (UrlPolicy.isAllowed(image.getDestination())) {
                images.add(image);
                visitChildren(image);
            } else {
                Text alt = new Text(PlainText.of(image));
                image.insertBefore(alt);
                image.unlink();
            }
        }

        @Override
        public void visit(FencedCodeBlock fence) {
            fences.add(fence);
        }

        @Override
        public void visit(HtmlBlock htmlBlock) {
            rawHtml = true;
            raw.add(htmlBlock);
        }

        @Override
        public void visit(CustomBlock block) {
            footnotes |= block instanceof FootnoteDefinition;
            visitChildren(block);
        }

        @Override
        public void visit(HtmlInline htmlInline) {
            rawHtml = true;
            raw.add(htmlInline);
        }

        /** Link reference definitions render as nothing: a heading after them still opens the page. */
        private static boolean onlyDefinitionsBefore(Node node) {
            for (Node previous = node.getPrevious(); previous != null; previous = previous.getPrevious()) {
                if (!(previous instanceof LinkReferenceDefinition)) {
                    return false;
                }
            }
            return true;
        }

        /** Replaces a link by its text, keeping the text's own markup. */
        private void unwrap(Link link) {
            Node child = link.getFirstChild();
            while (child != null) {
                Node next = child.getNext();
                link.insertBefore(child);
                child.accept(this);
                child = next;
            }
            link.unlink();
        }
    }

    /** The text a reader sees in a node, without markup and without image descriptions. */
    private static final class PlainText extends AbstractVisitor {
        private final StringBuilder text = new StringBuilder();

        static String of(Node node) {
            PlainText visitor = new PlainText();
            Node child = node.getFirstChild();
            while (child != null) {
                child.accept(visitor);
                child = child.getNext();
            }
            return HtmlEscaper.collapseWhitespace(visitor.text.toString());
        }

        @Override
        public void visit(Text node) {
            text.append(node.getLiteral());
        }

        @Override
        public void visit(Code node) {
            text.append(node.getLiteral());
        }

        @Override
        public void visit(SoftLineBreak node) {
            text.append(' ');
        }

        @Override
        public void visit(HardLineBreak node) {
            text.append(' ');
        }

        @Override
        public void visit(Image node) {
            // an image's alt text is not part of the paragraph's prose
        }
    }

    private static final AttributeProvider BODY_ATTRIBUTES = new BodyAttributes();

    /**
     * Table cell alignment as a class, since the {@code align} attribute is obsolete in HTML5; the
     * attributes {@link #sized} gave each image; task-list checkboxes named by their task. Stateless.
     */
    private static final class BodyAttributes implements AttributeProvider {
        @Override
        public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
            if (node instanceof org.commonmark.node.Image) {
                for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                    if (child instanceof ImageAttributes sized) {
                        attributes.putAll(sized.attributes);
                    }
                }
            }
            if (node instanceof TaskListItemMarker && tagName.equals("input") && node.getNext() != null) {
                // a checkbox needs a name of its own: the task it ticks off
                String task = PlainText.of(node.getNext());
                if (!task.isEmpty()) {
                    attributes.put("aria-label", task.length() > 120 ? summary(task) : task);
                }
            }
            if (node instanceof TableCell) {
                String align = attributes.remove("align");
                if (align != null) {
                    attributes.put("class", "align-" + align);
                }
            }
        }
    }
}
