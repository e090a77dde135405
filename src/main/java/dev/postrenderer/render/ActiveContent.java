package dev.postrenderer.render;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.XmlDeclaration;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeTraversor;

/**
 * Uploaded files that would run script in the site's origin when a reader opens them: HTML,
 * JavaScript, XSLT by their name; SVG and XML by what they contain (scripts, event handlers,
 * {@code javascript:} links, foreign objects, entity declarations, style sheets that transform).
 * Under {@link RawHtmlPolicy#ALLOW} every file is published; otherwise such files are refused.
 */
public final class ActiveContent {

    /** Files larger than this are not parsed to look for script; such SVG or XML is refused. */
    public static final int MAX_CHECKED_BYTES = 4 * 1024 * 1024;

    private static final Set<String> ACTIVE_EXTENSIONS = Set.of(
            "html", "htm", "xhtml", "xht", "shtml", "js", "mjs", "cjs", "xsl", "xslt", "svgz");
    private static final Set<String> CHECKED_EXTENSIONS = Set.of("svg", "xml");
    private static final Set<String> ACTIVE_ELEMENTS = Set.of(
            "script", "foreignobject", "iframe", "frame", "frameset", "embed", "object", "applet", "handler",
            "listener", "base", "meta", "form", "portal");
    private static final Set<String> ANIMATIONS = Set.of("set", "animate", "animatetransform", "animatemotion",
            "animatecolor");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "formaction", "data",
            "to", "from", "values", "by");

    private ActiveContent() {
    }

    /**
     * Why a file may not be published under {@code policy}, judged by its name alone; empty if
     * it may, perhaps after {@link #needsCheck a check of its content}.
     */
    public static Optional<String> byName(String key, RawHtmlPolicy policy) {
        if (policy == RawHtmlPolicy.ALLOW || !ACTIVE_EXTENSIONS.contains(extension(key))) {
            return Optional.empty();
        }
        return Optional.of("a ." + extension(key) + " file would run script in the site's origin, which RAW_HTML="
                + policy.value() + " does not allow; it is not published (RAW_HTML=allow publishes it)");
    }

    /** True if the file's content decides whether it may be published under {@code policy}. */
    public static boolean needsCheck(String key, RawHtmlPolicy policy) {
        return policy != RawHtmlPolicy.ALLOW && CHECKED_EXTENSIONS.contains(extension(key));
    }

    /** Why an SVG or XML file may not be published, in words an author can act on; empty if it is inert. */
    public static Optional<String> inContent(String key, byte[] content, RawHtmlPolicy policy) {
        String type = "." + extension(key) + " file";
        if (content.length > MAX_CHECKED_BYTES) {
            return refused(type, "is larger than " + MAX_CHECKED_BYTES + " bytes, too large to check for script",
                    policy);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return refused(type, "is not UTF-8, so it cannot be checked for script", policy);
        }
        if (text.toLowerCase(Locale.ROOT).contains("<!entity")) {
            // browsers expand internal entities, which can spell out markup a parse here does not see
            return refused(type, "declares XML entities", policy);
        }
        Document document = Jsoup.parse(text, "", Parser.xmlParser());
        String[] found = {null};
        NodeTraversor.traverse((node, depth) -> {
            if (found[0] == null) {
                found[0] = problem(node);
            }
        }, document);
        return found[0] == null ? Optional.empty() : refused(type, found[0], policy);
    }

    private static String problem(Node node) {
        if (node instanceof XmlDeclaration declaration
                && declaration.name().toLowerCase(Locale.ROOT).equals("xml-stylesheet")) {
            return "has an xml-stylesheet instruction";
        }
        if (!(node instanceof Element element)) {
            return null;
        }
        String name = localName(element.tagName());
        if (ACTIVE_ELEMENTS.contains(name)) {
            return "has a <" + element.tagName() + "> element";
        }
        for (Attribute attribute : element.attributes()) {
            String attributeName = localName(attribute.getKey());
            String value = attribute.getValue();
            if (attributeName.startsWith("on")) {
                return "has an event handler (" + attribute.getKey() + " on <" + element.tagName() + ">)";
            }
            if (URL_ATTRIBUTES.contains(attributeName) && scriptUrl(value)) {
                return "has a script URL (" + attribute.getKey() + " on <" + element.tagName() + ">)";
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (attributeName.equals("style") && (lower.contains("javascript:") || lower.contains("expression("))) {
                return "has a script URL in a style attribute on <" + element.tagName() + ">";
            }
            if (ANIMATIONS.contains(name) && attributeName.equals("attributename")
                    && localName(value.strip()).equals("href")) {
                return "animates a link target (<" + element.tagName() + " attributeName=\"" + value + "\">)";
            }
        }
        return null;
    }

    /** True for a value that is or contains a {@code javascript:}, {@code vbscript:} or non-image {@code data:} URL. */
    private static boolean scriptUrl(String value) {
        StringBuilder compact = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // browsers skip whitespace and control characters inside a scheme
            if (c > ' ' && c != 0x7f) {
                compact.append(Character.toLowerCase(c));
            }
        }
        String url = compact.toString();
        if (url.contains("javascript:") || url.contains("vbscript:")) {
            return true;
        }
        int data = url.indexOf("data:");
        while (data >= 0) {
            if (!url.startsWith("image/", data + 5) || url.startsWith("image/svg", data + 5)) {
                return true;
            }
            data = url.indexOf("data:", data + 5);
        }
        return false;
    }

    private static Optional<String> refused(String type, String problem, RawHtmlPolicy policy) {
        return Optional.of("the " + type + " " + problem + ", which could run script in the site's origin; "
                + "RAW_HTML=" + policy.value() + " does not allow that, so it is not published");
    }

    private static String localName(String qualified) {
        return qualified.substring(qualified.indexOf(':') + 1).toLowerCase(Locale.ROOT);
    }

    private static String extension(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot <= slash + 1 ? "" : key.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
