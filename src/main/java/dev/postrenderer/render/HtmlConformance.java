package dev.postrenderer.render;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * Makes sanitised HTML conform, so that a page stays valid whatever raw HTML its post had: a
 * browser's parser builds trees that the HTML standard's content models forbid (a {@code div}
 * inside a {@code b}, a {@code table} inside a {@code p} through foreign content, a {@code li}
 * outside a list), and authors write attribute values no browser checks. Wrappers that cannot
 * hold what they hold are unwrapped (their content kept), orphans lose their tag, and attribute
 * values that are not valid are dropped.
 */
final class HtmlConformance {

    /** Elements that need a flow content parent. */
    private static final Set<String> FLOW = Set.of("address", "blockquote", "details", "div", "dl", "figure", "h1",
            "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre", "section", "table", "ul");
    /** Elements whose content must be phrasing content. */
    private static final Set<String> PHRASING_ONLY = Set.of("abbr", "b", "bdi", "bdo", "cite", "code", "dfn", "em",
            "h1", "h2", "h3", "h4", "h5", "h6", "i", "kbd", "mark", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
            "small", "span", "strong", "sub", "summary", "sup", "time", "u", "var", "caption");
    /** Elements that are only valid inside particular parents. */
    private static final java.util.Map<String, Set<String>> PARENTS = java.util.Map.of(
            "li", Set.of("ul", "ol", "menu"),
            "dt", Set.of("dl", "div"),
            "dd", Set.of("dl", "div"),
            "figcaption", Set.of("figure"),
            "summary", Set.of("details"),
            "rt", Set.of("ruby"),
            "rp", Set.of("ruby"));
    private static final Set<String> NUMBERS = Set.of("width", "height", "colspan", "rowspan", "span", "start");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,6}");
    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}(-\\d{2}(-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:?\\d{2})?)?)?)?|\\d{2}:\\d{2}(:\\d{2})?");
    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*");
    private static final Pattern ID = Pattern.compile("[^\\s]+");

    private HtmlConformance() {
    }

    /** Fixes the tree under {@code root} in place; {@code ids} are taken already, and get the tree's. */
    static void fix(Element root, Set<String> ids) {
        List<Element> elements = new ArrayList<>(root.getAllElements());
        elements.remove(root);
        // innermost first, so that an unwrapped wrapper's own wrappers are seen afterwards
        for (int i = elements.size() - 1; i >= 0; i--) {
            Element element = elements.get(i);
            if (element.parent() == null) {
                continue;
            }
            String name = element.normalName();
            if (FLOW.contains(name)) {
                for (Element ancestor = element.parent(); ancestor != null && ancestor != root; ) {
                    Element next = ancestor.parent();
                    if (PHRASING_ONLY.contains(ancestor.normalName())) {
                        ancestor.unwrap();
                    } else if (!ancestor.normalName().equals("a") && !ancestor.normalName().equals("del")
                            && !ancestor.normalName().equals("ins")) {
                        break;
                    }
                    ancestor = next;
                }
            }
            Set<String> parents = PARENTS.get(name);
            if (parents != null && (element.parent() == null || !parents.contains(element.parent().normalName()))) {
                element.unwrap();
            }
        }
        for (Element element : root.getAllElements()) {
            for (Attribute attribute : new ArrayList<>(element.attributes().asList())) {
                if (!valid(element, attribute, ids)) {
                    element.removeAttr(attribute.getKey());
                }
            }
        }
        root.select("img:not([src])").remove();
        // without a datetime, a time element's text must itself be a date or time
        root.select("time:not([datetime])").stream().filter(time -> !datetime(time.text())).toList()
                .forEach(Element::unwrap);
    }

    /** A date, a time, a date and time, a month or a year, as the HTML standard spells them. */
    private static boolean datetime(String value) {
        if (!DATETIME.matcher(value).matches()) {
            return false;
        }
        List<java.util.function.Function<String, ?>> parsers = List.of(java.time.LocalDate::parse,
                java.time.LocalTime::parse, java.time.YearMonth::parse, java.time.Year::parse,
                text -> java.time.LocalDateTime.parse(text.replace(' ', 'T')),
                text -> java.time.OffsetDateTime.parse(text.replace(' ', 'T')));
        for (java.util.function.Function<String, ?> parser : parsers) {
            try {
                parser.apply(value);
                return true;
            } catch (java.time.DateTimeException e) {
                // not this form; the next may read it
                continue;
            }
        }
        return false;
    }

    private static boolean valid(Element element, Attribute attribute, Set<String> ids) {
        String name = attribute.getKey().toLowerCase(Locale.ROOT);
        String value = attribute.getValue();
        if (NUMBERS.contains(name)) {
            boolean positive = name.equals("colspan") || name.equals("rowspan") || name.equals("span");
            return NUMBER.matcher(value).matches() && (!positive || Integer.parseInt(value) > 0);
        }
        return switch (name) {
            case "id" -> ID.matcher(value).matches() && ids.add(value);
            case "datetime" -> datetime(value);
            case "lang" -> value.isEmpty() || LANGUAGE.matcher(value).matches();
            case "dir" -> Set.of("ltr", "rtl", "auto").contains(value.toLowerCase(Locale.ROOT));
            case "checked", "disabled", "open", "reversed" -> value.isEmpty() || value.equalsIgnoreCase(name);
            case "scope" -> Set.of("row", "col", "rowgroup", "colgroup").contains(value.toLowerCase(Locale.ROOT));
            case "href", "src", "cite" -> parses(value);
            default -> true;
        };
    }

    private static boolean parses(String url) {
        try {
            URI uri = new URI(url);
            return !(("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && (uri.getHost() == null || uri.getHost().isEmpty()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
