package dev.postrenderer.post;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the YAML of a front-matter block into a {@link FrontMatter}, treating it as hostile: the
 * document is composed under {@link StrictYaml}'s rules, so every plain scalar is a string and the
 * typed fields ({@code date}, {@code draft}, {@code image.width} …) are parsed explicitly here, each
 * problem reported with the field and, where YAML knows it, the line and column. Keys the record does
 * not model are kept for layouts as plain Java values.
 */
final class FrontMatterReader {

    /** Deepest nesting of mappings and lists allowed in front matter. */
    static final int MAX_DEPTH = StrictYaml.MAX_DEPTH;

    /** Largest front matter block, in code points. */
    static final int MAX_CODE_POINTS = StrictYaml.MAX_CODE_POINTS;
    private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9:._-]{0,99}");
    private static final Set<String> URL_META = Set.of("og:url", "og:image", "og:image:url",
            "og:image:secure_url", "og:video", "og:video:url", "og:video:secure_url", "og:audio", "og:audio:url",
            "og:audio:secure_url", "twitter:image", "twitter:image:src", "twitter:player", "article:author");
    private static final Set<String> LINK_ATTRIBUTES =
            Set.of("rel", "href", "hreflang", "type", "title", "media", "sizes", "color");
    private static final Set<String> LINK_RELS = Set.of("alternate", "author", "canonical", "help", "icon",
            "apple-touch-icon", "license", "me", "next", "prev", "search", "shortlink");

    private final String key;
    private final int firstLine;

    private FrontMatterReader(String key, int firstLine) {
        this.key = key;
        this.firstLine = firstLine;
    }

    /**
     * Reads a front-matter block.
     *
     * @param key       the post's key, for error messages
     * @param yaml      the text between the {@code ---} lines
     * @param firstLine the line of the source file where {@code yaml} starts, for error messages
     */
    static FrontMatter read(String key, String yaml, int firstLine) {
        FrontMatterReader reader = new FrontMatterReader(key, firstLine);
        if (yaml.codePointCount(0, yaml.length()) > MAX_CODE_POINTS) {
            throw new InvalidPostException(key, "front matter is larger than " + MAX_CODE_POINTS
                    + " characters; move long text into the body");
        }
        Node root;
        try {
            root = StrictYaml.compose(yaml);
        } catch (MarkedYAMLException e) {
            throw reader.error(e.getProblem(), e.getProblemMark(), e);
        } catch (YAMLException e) {
            throw new InvalidPostException(key, "front matter: " + e.getMessage(), e);
        }
        if (root == null) {
            return FrontMatter.EMPTY;
        }
        return reader.frontMatter(reader.mapping(root, "front matter"));
    }

    private FrontMatter frontMatter(Map<String, NodeTuple> fields) {
        Optional<String> title = Optional.empty();
        Optional<String> description = Optional.empty();
        Optional<PostDate> date = Optional.empty();
        Optional<PostDate> updated = Optional.empty();
        List<String> tags = List.of();
        Optional<Image> image = Optional.empty();
        Optional<String> img = Optional.empty();
        Head head = Head.EMPTY;
        boolean draft = false;
        Optional<String> lang = Optional.empty();
        Optional<Author> author = Optional.empty();
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> field : fields.entrySet()) {
            String name = field.getKey();
            Node value = field.getValue().getValueNode();
            switch (name) {
                case "title" -> title = text(value, name);
                case "description" -> description = text(value, name);
                case "date" -> date = date(value, name);
                case "updated" -> updated = date(value, name);
                case "tags" -> tags = tags(value);
                case "image" -> image = image(value, name);
                case "img" -> img = text(value, name);
                case "head" -> head = head(value);
                case "draft" -> draft = bool(value, name);
                case "lang" -> lang = lang(value);
                case "author" -> author = author(value);
                default -> extra.put(name, construct(value));
            }
        }
        return new FrontMatter(title, description, date, updated, tags, image, img, head, draft, lang, author, extra);
    }

    private Optional<String> text(Node node, String field) {
        String value = scalar(node, field).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private String scalar(Node node, String field) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw error("'" + field + "' must be text, not a " + kind(node), node.getStartMark(), null);
    }

    private Optional<PostDate> date(Node node, String field) {
        Optional<String> text = text(node, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PostDate.parse(text.get()).orElseThrow(() -> error("'" + field + "' is not a date: '"
                + text.get() + "'; write 2024-03-18 or 2024-03-18T09:30:00Z", node.getStartMark(), null)));
    }

    private boolean bool(Node node, String field) {
        String value = scalar(node, field).strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw error("'" + field + "' must be true or false, not '" + value + "'",
                    node.getStartMark(), null);
        };
    }

    private List<String> tags(Node node) {
        List<String> raw = new ArrayList<>();
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                raw.add(scalar(item, "tags"));
            }
        } else if (node instanceof ScalarNode scalar) {
            raw.addAll(List.of(scalar.getValue().split(",")));
        } else {
            throw error("'tags' must be a list or a comma-separated text, not a mapping", node.getStartMark(), null);
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : raw) {
            String clean = tag.strip().replaceAll("\\s+", " ");
            if (!clean.isEmpty()) {
                tags.add(clean);
            }
        }
        return List.copyOf(tags);
    }

    private Optional<Image> image(Node node, String field) {
        if (node instanceof ScalarNode) {
            return text(node, field).map(this::imageSource).map(Image::of);
        }
        Map<String, NodeTuple> fields = mapping(node, field);
        Optional<String> src = Optional.empty();
        Optional<String> alt = Optional.empty();
        OptionalInt width = OptionalInt.empty();
        OptionalInt height = OptionalInt.empty();
        Optional<String> type = Optional.empty();
        for (Map.Entry<String, NodeTuple> entry : fields.entrySet()) {
            String name = field + "." + entry.getKey();
            Node value = entry.getValue().getValueNode();
            switch (entry.getKey()) {
                case "src" -> src = text(value, name).map(this::imageSource);
                case "alt" -> alt = text(value, name);
                case "width" -> width = dimension(value, name);
                case "height" -> height = dimension(value, name);
                case "type" -> type = text(value, name);
                default -> throw error("'" + name + "' is not an image field; use src, alt, width, height or type",
                        entry.getValue().getKeyNode().getStartMark(), null);
            }
        }
        if (src.isEmpty()) {
            throw error("'" + field + "' needs a src", node.getStartMark(), null);
        }
        return Optional.of(new Image(src.get(), alt, width, height, type));
    }

    private String imageSource(String src) {
        if (!UrlPolicy.isAllowed(src)) {
            throw new InvalidPostException(key, "image '" + src + "' must be a path on the site or an http(s) URL");
        }
        return src;
    }

    private OptionalInt dimension(Node node, String field) {
        Optional<String> text = text(node, field);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value > 0 && value <= 100_000) {
                return OptionalInt.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("'" + field + "' must be a whole number of pixels, not '" + text.get() + "'",
                node.getStartMark(), null);
    }

    private Optional<String> lang(Node node) {
        Optional<String> lang = text(node, "lang");
        if (lang.isPresent() && !LANG.matcher(lang.get()).matches()) {
            throw error("'lang' must be a language tag such as en or pt-BR, not '" + lang.get() + "'",
                    node.getStartMark(), null);
        }
        return lang;
    }

    private Optional<Author> author(Node node) {
        if (node instanceof ScalarNode) {
            return text(node, "author").map(name -> new Author(name, Optional.empty()));
        }
        Map<String, NodeTuple> fields = mapping(node, "author");
        Optional<String> name = Optional.empty();
        Optional<String> url = Optional.empty();
        for (Map.Entry<String, NodeTuple> entry : fields.entrySet()) {
            Node value = entry.getValue().getValueNode();
            switch (entry.getKey()) {
                case "name" -> name = text(value, "author.name");
                case "url" -> url = text(value, "author.url");
                default -> throw error("'author." + entry.getKey() + "' is not an author field; use name or url",
                        entry.getValue().getKeyNode().getStartMark(), null);
            }
        }
        if (url.isPresent() && !UrlPolicy.isAbsoluteHttp(url.get())) {
            throw error("'author.url' must be an http(s) URL", node.getStartMark(), null);
        }
        return Optional.of(new Author(name.orElseThrow(() -> error("'author' needs a name", node.getStartMark(), null)),
                url));
    }

    private Head head(Node node) {
        Map<String, NodeTuple> fields = mapping(node, "head");
        Optional<String> title = Optional.empty();
        Optional<String> description = Optional.empty();
        Optional<Image> image = Optional.empty();
        List<MetaEntry> meta = List.of();
        List<LinkEntry> link = List.of();
        for (Map.Entry<String, NodeTuple> entry : fields.entrySet()) {
            Node value = entry.getValue().getValueNode();
            switch (entry.getKey()) {
                case "title" -> title = text(value, "head.title");
                case "description" -> description = text(value, "head.description");
                case "image" -> image = image(value, "head.image");
                case "meta" -> meta = meta(value);
                case "link" -> link = link(value);
                default -> throw error("'head." + entry.getKey()
                        + "' is not supported; use head.title, head.description, head.image, head.meta or head.link",
                        entry.getValue().getKeyNode().getStartMark(), null);
            }
        }
        return new Head(title, description, image, meta, link);
    }

    private List<MetaEntry> meta(Node node) {
        List<MetaEntry> entries = new ArrayList<>();
        List<Node> items = sequence(node, "head.meta");
        for (int i = 0; i < items.size(); i++) {
            String where = "head.meta[" + (i + 1) + "]";
            Node item = items.get(i);
            Map<String, NodeTuple> fields = mapping(item, where);
            Optional<String> name = Optional.empty();
            Optional<String> property = Optional.empty();
            Optional<String> content = Optional.empty();
            for (Map.Entry<String, NodeTuple> entry : fields.entrySet()) {
                Node value = entry.getValue().getValueNode();
                String field = where + "." + entry.getKey();
                switch (entry.getKey()) {
                    case "name" -> name = text(value, field);
                    case "property" -> property = text(value, field);
                    case "content" -> content = Optional.of(scalar(value, field).strip());
                    case "http-equiv" -> throw error("'" + field + "' is not allowed: a post may not set HTTP headers",
                            entry.getValue().getKeyNode().getStartMark(), null);
                    default -> throw error("'" + field + "' is not a meta attribute; use name or property, and content",
                            entry.getValue().getKeyNode().getStartMark(), null);
                }
            }
            if (name.isPresent() == property.isPresent()) {
                throw error("'" + where + "' needs exactly one of name or property", item.getStartMark(), null);
            }
            String metaKey = name.orElseGet(property::get);
            if (!META_KEY.matcher(metaKey).matches()) {
                throw error("'" + where + "' has an invalid name '" + metaKey + "'", item.getStartMark(), null);
            }
            if (metaKey.equalsIgnoreCase("charset")) {
                throw error("'" + where + "' may not set the charset", item.getStartMark(), null);
            }
            String text = content.orElseThrow(() -> error("'" + where + "' needs a content", item.getStartMark(), null));
            if (urlValued(metaKey) && !UrlPolicy.isAllowed(text)) {
                throw error("'" + where + "' (" + metaKey + ") must be an http(s) URL or a path", item.getStartMark(), null);
            }
            entries.add(name.isPresent() ? MetaEntry.name(metaKey, text) : MetaEntry.property(metaKey, text));
        }
        return entries;
    }

    /** Known URL properties, and any whose name says it holds a URL or an image ({@code og:video:url}, {@code x:image}). */
    private static boolean urlValued(String metaKey) {
        String key = metaKey.toLowerCase(Locale.ROOT);
        return URL_META.contains(key) || key.endsWith("url") || key.endsWith("image") || key.endsWith(":src");
    }

    private List<LinkEntry> link(Node node) {
        List<LinkEntry> entries = new ArrayList<>();
        List<Node> items = sequence(node, "head.link");
        for (int i = 0; i < items.size(); i++) {
            String where = "head.link[" + (i + 1) + "]";
            Node item = items.get(i);
            Map<String, String> attributes = new LinkedHashMap<>();
            for (Map.Entry<String, NodeTuple> entry : mapping(item, where).entrySet()) {
                String field = where + "." + entry.getKey();
                if (!LINK_ATTRIBUTES.contains(entry.getKey())) {
                    throw error("'" + field + "' is not allowed; use " + String.join(", ", sorted(LINK_ATTRIBUTES)),
                            entry.getValue().getKeyNode().getStartMark(), null);
                }
                attributes.put(entry.getKey(), scalar(entry.getValue().getValueNode(), field).strip());
            }
            String rel = attributes.getOrDefault("rel", "").toLowerCase(Locale.ROOT);
            if (!LINK_RELS.contains(rel)) {
                throw error("'" + where + ".rel' must be one of " + String.join(", ", sorted(LINK_RELS)),
                        item.getStartMark(), null);
            }
            String href = attributes.getOrDefault("href", "");
            if (href.isEmpty() || !UrlPolicy.isAllowed(href)) {
                throw error("'" + where + ".href' must be an http(s) URL or a path", item.getStartMark(), null);
            }
            attributes.put("rel", rel);
            entries.add(new LinkEntry(attributes));
        }
        return entries;
    }

    private List<Node> sequence(Node node, String field) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        throw error("'" + field + "' must be a list, not a " + kind(node), node.getStartMark(), null);
    }

    /** The entries of a mapping by key, rejecting non-text and duplicate keys. */
    private Map<String, NodeTuple> mapping(Node node, String field) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("'" + field + "' must be a mapping of keys to values, not a " + kind(node),
                    node.getStartMark(), null);
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw error("keys in '" + field + "' must be text", tuple.getKeyNode().getStartMark(), null);
            }
            if (entries.putIfAbsent(keyNode.getValue(), tuple) != null) {
                throw error("duplicate key '" + keyNode.getValue() + "'", keyNode.getStartMark(), null);
            }
        }
        return entries;
    }

    private Object construct(Node node) {
        rejectDuplicateKeys(node);
        try {
            return StrictYaml.construct(node);
        } catch (MarkedYAMLException e) {
            throw error(e.getProblem(), e.getProblemMark(), e);
        } catch (YAMLException e) {
            throw new InvalidPostException(key, "front matter: " + e.getMessage(), e);
        }
    }

    /** snakeyaml's constructor keeps the last of duplicate keys; front matter refuses them at any depth. */
    private void rejectDuplicateKeys(Node node) {
        if (node instanceof MappingNode) {
            mapping(node, "front matter").values().forEach(tuple -> rejectDuplicateKeys(tuple.getValueNode()));
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(this::rejectDuplicateKeys);
        }
    }

    private InvalidPostException error(String problem, Mark mark, Throwable cause) {
        String where = mark == null ? ""
                : " (line " + (mark.getLine() + firstLine) + ", column " + (mark.getColumn() + 1) + ")";
        return new InvalidPostException(key, "front matter: " + problem + where, cause);
    }

    private static String kind(Node node) {
        return switch (node.getNodeId()) {
            case scalar -> "text";
            case sequence -> "list";
            case mapping -> "mapping";
            default -> node.getNodeId().name();
        };
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
