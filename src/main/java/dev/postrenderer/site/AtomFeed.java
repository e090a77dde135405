package dev.postrenderer.site;

import dev.postrenderer.post.Author;
import dev.postrenderer.post.PostDate;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.render.SiteUrls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The Atom feed ({@code feed.xml}): written from its entries, and read back by the next batch, which
 * keeps the entries it does not change without reading their posts again. Each entry records the
 * entity tag of the page it was made from ({@code pr:page}), so that an entry is kept only while the
 * state records that page. Output depends only on the entries, never on the clock. Immutable and
 * thread-safe.
 */
public final class AtomFeed {

    /** The namespace of the one element this site adds to Atom entries: the entity tag of the page an entry is made from. */
    public static final String NAMESPACE = "https://post-renderer.dev/ns/feed";

    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String EPOCH = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            Instant.EPOCH.atOffset(ZoneOffset.UTC));

    private final RenderOptions options;

    public AtomFeed(RenderOptions options) {
        this.options = Objects.requireNonNull(options, "options == null");
    }

    /** What reading a feed back gave: its entries, or why it could not be read. */
    public record Read(List<FeedItem> items, Optional<String> problem) {
        public Read {
            items = List.copyOf(items);
            Objects.requireNonNull(problem, "problem == null");
        }

        static Read unreadable(String problem) {
            return new Read(List.of(), Optional.of(problem));
        }
    }

    /** The feed of these entries, newest first, with their full content; empty without a site URL. */
    public Optional<SitePage> page(List<FeedItem> items) {
        if (options.siteUrl().isEmpty()) {
            return Optional.empty();
        }
        String site = options.siteUrl().get();
        String name = options.siteName().orElse(site.replaceFirst("^https?://", ""));
        StringBuilder xml = new StringBuilder(16_384);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"").append(ATOM)
                .append("\" xmlns:pr=\"").append(NAMESPACE).append("\">\n");
        text(xml, "id", site + "/");
        text(xml, "title", name);
        text(xml, "updated", items.stream().map(FeedItem::updated).flatMap(Optional::stream).max(PostDate::compareTo)
                .map(PostDate::rfc3339).orElse(EPOCH));
        xml.append("<link rel=\"self\" type=\"application/atom+xml\" href=\"").append(XmlText.escape(site + "/feed.xml"))
                .append("\"/>\n");
        xml.append("<link rel=\"alternate\" type=\"text/html\" href=\"").append(XmlText.escape(site + "/"))
                .append("\"/>\n");
        // the feed's author stands for every entry whose post names none
        xml.append("<author><name>").append(XmlText.escape(name)).append("</name></author>\n");
        text(xml, "generator", "post-renderer");
        items.forEach(item -> entry(xml, site, item));
        xml.append("</feed>\n");
        return Optional.of(new SitePage(SiteKeys.FEED, "application/atom+xml; charset=utf-8",
                xml.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void entry(StringBuilder xml, String site, FeedItem item) {
        String url = SiteUrls.absolute(site, item.path());
        xml.append("<entry>\n");
        text(xml, "id", url);
        text(xml, "title", item.title());
        xml.append("<link rel=\"alternate\" type=\"text/html\" href=\"").append(XmlText.escape(url)).append("\"/>\n");
        item.published().ifPresent(date -> text(xml, "published", date.rfc3339()));
        text(xml, "updated", item.updated().map(PostDate::rfc3339).orElse(EPOCH));
        item.author().ifPresent(author -> {
            xml.append("<author><name>").append(XmlText.escape(author.name())).append("</name>");
            author.url().ifPresent(uri -> xml.append("<uri>").append(XmlText.escape(uri)).append("</uri>"));
            xml.append("</author>\n");
        });
        for (String category : item.categories()) {
            xml.append("<category term=\"").append(XmlText.escape(category)).append("\"/>\n");
        }
        item.summary().ifPresent(summary -> text(xml, "summary", summary));
        text(xml, "pr:page", item.pageEtag());
        xml.append("<content type=\"html\" xml:base=\"").append(XmlText.escape(url)).append("\">")
                .append(XmlText.escape(item.content())).append("</content>\n");
        xml.append("</entry>\n");
    }

    /** The entries of a feed this class wrote; a feed of another site, or not of this writer, is unreadable. */
    public Read read(byte[] feed) {
        if (options.siteUrl().isEmpty()) {
            return Read.unreadable("there is no feed without SITE_URL");
        }
        String prefix = options.siteUrl().get() + "/";
        try {
            XMLStreamReader xml = Parser.FACTORY.createXMLStreamReader(new ByteArrayInputStream(feed));
            List<FeedItem> items = new ArrayList<>();
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("entry")) {
                    Optional<FeedItem> item = entry(xml, prefix);
                    if (item.isEmpty()) {
                        return Read.unreadable("an entry is not one of this site's (its id is not under " + prefix
                                + ", or it has no content)");
                    }
                    items.add(item.get());
                }
            }
            return new Read(items, Optional.empty());
        } catch (XMLStreamException e) {
            return Read.unreadable("not well-formed XML: " + e.getMessage());
        }
    }

    /** Reads one entry, from its start element to its end. */
    private static Optional<FeedItem> entry(XMLStreamReader xml, String prefix) throws XMLStreamException {
        Map<String, String> fields = new HashMap<>();
        List<String> categories = new ArrayList<>();
        Optional<Author> author = Optional.empty();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("entry")) {
                break;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String element = xml.getLocalName();
            if (element.equals("category")) {
                categories.add(xml.getAttributeValue(null, "term"));
            } else if (element.equals("author")) {
                author = author(xml);
            } else if (!element.equals("link")) {
                fields.put(NAMESPACE.equals(xml.getNamespaceURI()) ? "pr:" + element : element, xml.getElementText());
            }
        }
        String id = fields.getOrDefault("id", "");
        Optional<String> path = id.startsWith(prefix) ? SiteUrls.decodePath(id.substring(prefix.length()))
                : Optional.empty();
        if (path.isEmpty() || !fields.containsKey("content")) {
            return Optional.empty();
        }
        return Optional.of(new FeedItem(path.get(), fields.getOrDefault("title", ""),
                Optional.ofNullable(fields.get("published")).flatMap(PostDate::parse),
                Optional.ofNullable(fields.get("updated")).flatMap(PostDate::parse), categories,
                Optional.ofNullable(fields.get("summary")), fields.get("content"), author,
                fields.getOrDefault("pr:page", "")));
    }

    private static Optional<Author> author(XMLStreamReader xml) throws XMLStreamException {
        String name = null;
        String uri = null;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("author")) {
                break;
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (xml.getLocalName().equals("name")) {
                    name = xml.getElementText();
                } else if (xml.getLocalName().equals("uri")) {
                    uri = xml.getElementText();
                }
            }
        }
        return name == null ? Optional.empty() : Optional.of(new Author(name, Optional.ofNullable(uri)));
    }

    private static void text(StringBuilder xml, String element, String value) {
        xml.append('<').append(element).append('>').append(XmlText.escape(value)).append("</").append(element)
                .append(">\n");
    }

    /**
     * The JDK's StAX parser (about 100 classes), made on the first feed read. DTDs are off, so the only
     * entities are XML's five; the size limits are lifted for the feed this class wrote, whose text
     * runs to megabytes of escaped HTML: Java 24 and later stop a document at 100,000 characters of
     * text by default ({@code jdk.xml.maxGeneralEntitySizeLimit}), which made every batch on Java 25
     * read an empty feed and render its posts again.
     */
    static final class Parser {
        static final XMLInputFactory FACTORY = create();

        private Parser() {
        }

        static XMLInputFactory create() {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            factory.setProperty("jdk.xml.maxGeneralEntitySizeLimit", "0");
            factory.setProperty("jdk.xml.totalEntitySizeLimit", "0");
            return factory;
        }
    }
}
