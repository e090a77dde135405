package dev.postrenderer.site;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import dev.postrenderer.post.PostDate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON of the site's state: the root ({@link SiteState}), the posts of a page, and a part of a
 * listing's directory. Writing is deterministic (fields in a fixed order), so equal states have
 * equal bytes; unknown fields are skipped on reading, so an older reader survives a newer writer.
 * Every read failure is an {@link IllegalArgumentException}.
 */
public final class StateJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int FORMAT = 2;

    private StateJson() {
    }

    // --- posts

    /** The posts of a page, newest first. */
    public static byte[] writeEntries(List<PostEntry> entries) {
        return write(json -> {
            json.writeStartArray();
            for (PostEntry entry : entries) {
                entry(json, entry);
            }
            json.writeEndArray();
        });
    }

    public static List<PostEntry> readEntries(byte[] bytes) {
        return read(bytes, StateJson::entries);
    }

    // --- directory

    /** A part of a listing's directory: archive pages, newest first. */
    public static byte[] writeDirectory(List<ArchivePage> pages) {
        return write(json -> {
            json.writeStartArray();
            for (ArchivePage page : pages) {
                json.writeStartObject();
                json.writeStringField("name", page.name());
                json.writeNumberField("count", page.count());
                json.writeFieldName("newest");
                position(json, page.newest());
                json.writeStringField("ref", page.ref());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    public static List<ArchivePage> readDirectory(byte[] bytes) {
        return read(bytes, json -> {
            expect(json.nextToken(), JsonToken.START_ARRAY);
            List<ArchivePage> pages = new ArrayList<>();
            while (json.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                int count = 0;
                Position newest = null;
                String ref = null;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    switch (field) {
                        case "name" -> name = json.getText();
                        case "count" -> count = json.getIntValue();
                        case "newest" -> newest = position(json);
                        case "ref" -> ref = json.getText();
                        default -> json.skipChildren();
                    }
                }
                pages.add(new ArchivePage(required(name, "name"), count, required(newest, "newest"),
                        required(ref, "ref")));
            }
            return pages;
        });
    }

    // --- root

    public static byte[] writeState(SiteState state) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeNumberField("version", state.version());
            json.writeStringField("layouts", state.layouts());
            if (state.frontPage().isPresent()) {
                FrontPage page = state.frontPage().get();
                json.writeObjectFieldStart("frontPage");
                optional(json, "title", page.title());
                optional(json, "description", page.description());
                json.writeStringField("introHtml", page.introHtml());
                json.writeEndObject();
            }
            json.writeObjectFieldStart("listings");
            for (Map.Entry<String, ListingMeta> listing : state.listings().entrySet()) {
                json.writeRaw('\n');
                json.writeObjectFieldStart(listing.getKey());
                ListingMeta meta = listing.getValue();
                json.writeStringField("name", meta.name());
                json.writeNumberField("posts", meta.posts());
                json.writeStringField("head", meta.head());
                json.writeArrayFieldStart("directory");
                for (DirectoryRef part : meta.directory()) {
                    json.writeStartObject();
                    json.writeStringField("ref", part.ref());
                    json.writeFieldName("newest");
                    position(json, part.newest());
                    json.writeStringField("first", part.first());
                    json.writeNumberField("pages", part.pages());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeArrayFieldStart("feed");
            for (FeedRef item : state.feed()) {
                json.writeRaw('\n');
                json.writeStartObject();
                json.writeStringField("key", item.key());
                json.writeStringField("path", item.path());
                optional(json, "date", item.date().map(PostDate::iso));
                json.writeStringField("page", item.pageEtag());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("months");
            for (Map.Entry<String, Integer> month : state.months().entrySet()) {
                json.writeNumberField(month.getKey(), month.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("fences");
            for (Fence fence : state.fences()) {
                json.writeStartObject();
                json.writeStringField("key", fence.key());
                optional(json, "sequencer", fence.sequencer());
                json.writeBooleanField("removed", fence.removed());
                json.writeNumberField("at", fence.at());
                json.writeEndObject();
            }
            json.writeEndArray();
            SiteState.Storage storage = state.storage();
            json.writeArrayFieldStart("packs");
            for (SiteState.Pack pack : storage.packs()) {
                json.writeStartObject();
                json.writeStringField("key", pack.key());
                json.writeNumberField("live", pack.live());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("garbage");
            for (SiteState.Garbage garbage : storage.garbage()) {
                json.writeStartObject();
                json.writeStringField("key", garbage.key());
                json.writeNumberField("since", garbage.since());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("nextId", storage.nextId());
            json.writeObjectFieldStart("inline");
            for (Map.Entry<Integer, byte[]> part : storage.inline().entrySet()) {
                json.writeRaw('\n');
                json.writeFieldName(Integer.toString(part.getKey()));
                json.writeRawValue(new String(part.getValue(), java.nio.charset.StandardCharsets.UTF_8));
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    public static SiteState readState(byte[] bytes) {
        return read(bytes, json -> {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            long version = 0;
            String layouts = "";
            Optional<FrontPage> frontPage = Optional.empty();
            SortedMap<String, ListingMeta> listings = new TreeMap<>();
            List<FeedRef> feed = new ArrayList<>();
            SortedMap<String, Integer> months = new TreeMap<>();
            List<Fence> fences = new ArrayList<>();
            List<SiteState.Pack> packs = new ArrayList<>();
            List<SiteState.Garbage> garbage = new ArrayList<>();
            SortedMap<Integer, byte[]> inline = new TreeMap<>();
            int nextId = 0;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "format" -> {
                        if (json.getIntValue() != FORMAT) {
                            throw new IOException("state format " + json.getIntValue() + ", expected " + FORMAT);
                        }
                    }
                    case "version" -> version = json.getLongValue();
                    case "layouts" -> layouts = json.getText();
                    case "frontPage" -> frontPage = Optional.of(frontPage(json));
                    case "listings" -> {
                        expect(value, JsonToken.START_OBJECT);
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String id = json.currentName();
                            json.nextToken();
                            listings.put(id, listing(json));
                        }
                    }
                    case "feed" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> fields = scalars(json);
                            feed.add(new FeedRef(required(fields.get("key"), "key"), required(fields.get("path"), "path"),
                                    Optional.ofNullable(fields.get("date")).flatMap(PostDate::parse),
                                    required(fields.get("page"), "page")));
                        }
                    }
                    case "months" -> {
                        expect(value, JsonToken.START_OBJECT);
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String month = json.currentName();
                            json.nextToken();
                            months.put(month, json.getIntValue());
                        }
                    }
                    case "fences" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> fields = scalars(json);
                            fences.add(new Fence(required(fields.get("key"), "key"),
                                    Optional.ofNullable(fields.get("sequencer")),
                                    Boolean.parseBoolean(fields.get("removed")),
                                    Long.parseLong(required(fields.get("at"), "at"))));
                        }
                    }
                    case "packs" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> fields = scalars(json);
                            packs.add(new SiteState.Pack(required(fields.get("key"), "key"),
                                    Integer.parseInt(required(fields.get("live"), "live"))));
                        }
                    }
                    case "garbage" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> fields = scalars(json);
                            garbage.add(new SiteState.Garbage(required(fields.get("key"), "key"),
                                    Long.parseLong(required(fields.get("since"), "since"))));
                        }
                    }
                    case "nextId" -> nextId = json.getIntValue();
                    case "inline" -> {
                        expect(value, JsonToken.START_OBJECT);
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            int id = Integer.parseInt(json.currentName());
                            json.nextToken();
                            inline.put(id, copy(json));
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            return new SiteState(version, layouts, frontPage, listings, feed, months, fences,
                    new SiteState.Storage(packs, garbage, inline, nextId));
        });
    }

    // --- parts

    private static void entry(JsonGenerator json, PostEntry entry) throws IOException {
        json.writeStartObject();
        json.writeStringField("key", entry.key());
        json.writeStringField("path", entry.path());
        json.writeStringField("title", entry.title());
        optional(json, "description", entry.description());
        optional(json, "date", entry.date().map(PostDate::iso));
        optional(json, "updated", entry.updated().map(PostDate::iso));
        if (!entry.tags().isEmpty()) {
            json.writeArrayFieldStart("tags");
            for (String tag : entry.tags()) {
                json.writeString(tag);
            }
            json.writeEndArray();
        }
        optional(json, "image", entry.image());
        optional(json, "imageAlt", entry.imageAlt());
        optional(json, "etag", entry.sourceEtag());
        optional(json, "sequencer", entry.sequencer());
        json.writeStringField("renderer", entry.renderer());
        json.writeStringField("page", entry.pageEtag());
        json.writeEndObject();
    }

    private static List<PostEntry> entries(JsonParser json) throws IOException {
        expect(json.nextToken(), JsonToken.START_ARRAY);
        List<PostEntry> entries = new ArrayList<>();
        while (json.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> fields = new HashMap<>();
            List<String> tags = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (name.equals("tags") && value == JsonToken.START_ARRAY) {
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        tags.add(json.getText());
                    }
                } else if (value.isScalarValue()) {
                    fields.put(name, json.getText());
                } else {
                    json.skipChildren();
                }
            }
            entries.add(PostEntry.builder(required(fields.get("key"), "key"), required(fields.get("path"), "path"))
                    .title(fields.getOrDefault("title", ""))
                    .description(Optional.ofNullable(fields.get("description")))
                    .date(Optional.ofNullable(fields.get("date")).flatMap(PostDate::parse))
                    .updated(Optional.ofNullable(fields.get("updated")).flatMap(PostDate::parse))
                    .tags(tags)
                    .image(Optional.ofNullable(fields.get("image")))
                    .imageAlt(Optional.ofNullable(fields.get("imageAlt")))
                    .sourceEtag(Optional.ofNullable(fields.get("etag")))
                    .sequencer(Optional.ofNullable(fields.get("sequencer")))
                    .renderer(fields.getOrDefault("renderer", ""))
                    .pageEtag(fields.getOrDefault("page", ""))
                    .build());
        }
        return entries;
    }

    private static void position(JsonGenerator json, Position position) throws IOException {
        json.writeStartObject();
        optional(json, "date", position.date().map(PostDate::iso));
        json.writeStringField("path", position.path());
        json.writeEndObject();
    }

    private static Position position(JsonParser json) throws IOException {
        Map<String, String> fields = scalars(json);
        return new Position(Optional.ofNullable(fields.get("date")).flatMap(PostDate::parse),
                required(fields.get("path"), "path"));
    }

    private static ListingMeta listing(JsonParser json) throws IOException {
        String name = "";
        int posts = 0;
        String head = null;
        List<DirectoryRef> directory = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "name" -> name = json.getText();
                case "posts" -> posts = json.getIntValue();
                case "head" -> head = json.getText();
                case "directory" -> {
                    expect(value, JsonToken.START_ARRAY);
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        String ref = null;
                        Position newest = null;
                        String first = null;
                        int pages = 0;
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String part = json.currentName();
                            json.nextToken();
                            switch (part) {
                                case "ref" -> ref = json.getText();
                                case "newest" -> newest = position(json);
                                case "first" -> first = json.getText();
                                case "pages" -> pages = json.getIntValue();
                                default -> json.skipChildren();
                            }
                        }
                        directory.add(new DirectoryRef(required(ref, "ref"), required(newest, "newest"),
                                required(first, "first"), pages));
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new ListingMeta(name, posts, required(head, "head"), directory);
    }

    private static FrontPage frontPage(JsonParser json) throws IOException {
        Map<String, String> fields = scalars(json);
        return new FrontPage(Optional.ofNullable(fields.get("title")), Optional.ofNullable(fields.get("description")),
                fields.getOrDefault("introHtml", ""));
    }

    /** The scalar fields of the object the parser is at; nested values are skipped. */
    private static Map<String, String> scalars(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            if (json.nextToken().isScalarValue()) {
                fields.put(name, json.getText());
            } else {
                json.skipChildren();
            }
        }
        return fields;
    }

    private static byte[] copy(JsonParser json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.copyCurrentStructure(json);
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator json, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get());
        }
    }

    private static <T> T required(T value, String name) throws IOException {
        if (value == null) {
            throw new IOException("missing field " + name);
        }
        return value;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    /** Reads one JSON document. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonParser json) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (JsonParser json = JSON.createParser(bytes)) {
            return reader.read(json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not site state: " + e.getMessage(), e);
        }
    }
}
