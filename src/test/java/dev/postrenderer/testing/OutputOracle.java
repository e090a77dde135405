package dev.postrenderer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What no rendered page may ever contain, whatever the post said: a script other than our
 * JSON-LD, an event handler attribute, a {@code javascript:}, {@code vbscript:} or non-image
 * {@code data:} URL, an {@code iframe}, {@code object}, {@code embed}, {@code form}, {@code base}
 * or {@code meta http-equiv}, or JSON-LD that does not parse or contains a raw {@code </}.
 * Checked on the page as a browser parses it.
 */
public final class OutputOracle {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FORBIDDEN = Set.of("iframe", "frame", "object", "embed", "form", "base", "applet");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "formaction", "cite", "data",
            "poster", "background", "xlink:href", "srcset");

    private OutputOracle() {
    }

    /** Every violation in a page, one line each; empty for a safe page. */
    public static List<String> violations(String html) {
        List<String> problems = new ArrayList<>();
        Document page = Jsoup.parse(html);
        for (Element element : page.getAllElements()) {
            String name = element.normalName();
            if (name.equals("script")) {
                if (!element.attr("type").equals("application/ld+json")) {
                    problems.add("a script: " + element.outerHtml());
                } else {
                    String json = element.data();
                    if (json.contains("</")) {
                        problems.add("JSON-LD with a raw </");
                    }
                    try {
                        JSON.readTree(json);
                    } catch (Exception e) {
                        problems.add("JSON-LD that does not parse: " + e.getMessage());
                    }
                }
            }
            if (FORBIDDEN.contains(name)) {
                problems.add("a forbidden element: " + element.outerHtml());
            }
            if (name.equals("meta") && element.hasAttr("http-equiv")) {
                problems.add("meta http-equiv: " + element.outerHtml());
            }
            for (Attribute attribute : element.attributes()) {
                String key = attribute.getKey().toLowerCase(Locale.ROOT);
                if (key.startsWith("on")) {
                    problems.add("an event handler: " + key + " on " + name);
                }
                boolean urlValuedMeta = name.equals("meta") && key.equals("content")
                        && (element.attr("property") + element.attr("name")).matches(".*(url|image|image:secure_url)");
                if ((URL_ATTRIBUTES.contains(key) || urlValuedMeta) && dangerous(attribute.getValue(), name)) {
                    problems.add("a dangerous URL: " + key + "=" + attribute.getValue());
                }
                if (key.equals("style") && attribute.getValue().toLowerCase(Locale.ROOT).contains("javascript:")) {
                    problems.add("a script URL in a style: " + attribute.getValue());
                }
            }
        }
        return problems;
    }

    /** Fails with the violations of a page, if any. */
    public static void check(String html) {
        List<String> problems = violations(html);
        if (!problems.isEmpty()) {
            throw new AssertionError("the page breaks the output oracle: " + problems);
        }
    }

    private static boolean dangerous(String url, String element) {
        String normalised = url.replaceAll("[\\u0000-\\u0020\\u007f-\\u009f]", "").toLowerCase(Locale.ROOT);
        if (normalised.startsWith("javascript:") || normalised.startsWith("vbscript:")) {
            return true;
        }
        return normalised.startsWith("data:") && !(element.equals("img") && normalised.startsWith("data:image/")
                && !normalised.startsWith("data:image/svg"));
    }
}
