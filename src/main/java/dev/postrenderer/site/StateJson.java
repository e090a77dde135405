package dev.postrenderer.site;

import static dev.postrenderer.site.JsonCodec.copy;
import static dev.postrenderer.site.JsonCodec.expect;
import static dev.postrenderer.site.JsonCodec.optional;
import static dev.postrenderer.site.JsonCodec.position;
import static dev.postrenderer.site.JsonCodec.read;
import static dev.postrenderer.site.JsonCodec.required;
import static dev.postrenderer.site.JsonCodec.scalars;
import static dev.postrenderer.site.JsonCodec.write;

import dev.postrenderer.post.PostDate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

/**
 * The JSON of the root of the site's state ({@link SiteState}); its parts have theirs in
 * {@link PartsJson}. Writing is deterministic (fields in a fixed order), so equal states have equal
 * bytes; unknown fields are skipped on reading, so an older reader survives a newer writer. Every
 * read failure is an {@link IllegalArgumentException}.
 */
public final class StateJson {

    private static final int FORMAT = 2;

    private StateJson() {
    }

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
            listings(json, state.listings());
            feed(json, state.feed());
            json.writeObjectFieldStart("months");
            for (Map.Entry<String, Integer> month : state.months().entrySet()) {
                json.writeNumberField(month.getKey(), month.getValue());
            }
            json.writeEndObject();
            fences(json, state.fences());
            storage(json, state.storage());
            json.writeEndObject();
        });
    }

    private static void listings(JsonGenerator json, Map<String, ListingMeta> listings) throws IOException {
        json.writeObjectFieldStart("listings");
        for (Map.Entry<String, ListingMeta> listing : listings.entrySet()) {
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
    }

    private static void feed(JsonGenerator json, List<FeedRef> feed) throws IOException {
        json.writeArrayFieldStart("feed");
        for (FeedRef item : feed) {
            json.writeRaw('\n');
            json.writeStartObject();
            json.writeStringField("key", item.key());
            json.writeStringField("path", item.path());
            optional(json, "date", item.date().map(PostDate::iso));
            json.writeStringField("page", item.pageEtag());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void fences(JsonGenerator json, List<Fence> fences) throws IOException {
        json.writeArrayFieldStart("fences");
        for (Fence fence : fences) {
            json.writeStartObject();
            json.writeStringField("key", fence.key());
            optional(json, "sequencer", fence.sequencer());
            json.writeBooleanField("removed", fence.removed());
            json.writeNumberField("at", fence.at());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void storage(JsonGenerator json, SiteState.Storage storage) throws IOException {
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
            json.writeRawValue(new String(part.getValue(), StandardCharsets.UTF_8));
        }
        json.writeEndObject();
    }

    public static SiteState readState(byte[] bytes) {
        return read(bytes, json -> {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            Reading state = new Reading();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                state.field(field, json.nextToken(), json);
            }
            return state.build();
        });
    }

    /** The fields of a root read so far. */
    private static final class Reading {
        long version;
        String layouts = "";
        Optional<FrontPage> frontPage = Optional.empty();
        final SortedMap<String, ListingMeta> listings = new TreeMap<>();
        final List<FeedRef> feed = new ArrayList<>();
        final SortedMap<String, Integer> months = new TreeMap<>();
        final List<Fence> fences = new ArrayList<>();
        final List<SiteState.Pack> packs = new ArrayList<>();
        final List<SiteState.Garbage> garbage = new ArrayList<>();
        final SortedMap<Integer, byte[]> inline = new TreeMap<>();
        int nextId;

        void field(String field, JsonToken value, JsonParser json) throws IOException {
            switch (field) {
                case "format" -> {
                    if (json.getIntValue() != FORMAT) {
                        throw new IOException("state format " + json.getIntValue() + ", expected " + FORMAT);
                    }
                }
                case "version" -> version = json.getLongValue();
                case "layouts" -> layouts = json.getText();
                case "frontPage" -> frontPage = Optional.of(frontPage(json));
                case "listings" -> fields(value, json, id -> listings.put(id, listing(json)));
                case "feed" -> objects(value, json, fields -> feed.add(new FeedRef(required(fields.get("key"), "key"),
                        required(fields.get("path"), "path"), Optional.ofNullable(fields.get("date"))
                        .flatMap(PostDate::parse), required(fields.get("page"), "page"))));
                case "months" -> fields(value, json, month -> months.put(month, json.getIntValue()));
                case "fences" -> objects(value, json, fields -> fences.add(new Fence(required(fields.get("key"), "key"),
                        Optional.ofNullable(fields.get("sequencer")), Boolean.parseBoolean(fields.get("removed")),
                        Long.parseLong(required(fields.get("at"), "at")))));
                case "packs" -> objects(value, json, fields -> packs.add(new SiteState.Pack(
                        required(fields.get("key"), "key"), Integer.parseInt(required(fields.get("live"), "live")))));
                case "garbage" -> objects(value, json, fields -> garbage.add(new SiteState.Garbage(
                        required(fields.get("key"), "key"), Long.parseLong(required(fields.get("since"), "since")))));
                case "nextId" -> nextId = json.getIntValue();
                case "inline" -> fields(value, json, id -> inline.put(Integer.parseInt(id), copy(json)));
                default -> json.skipChildren();
            }
        }

        SiteState build() {
            return new SiteState(version, layouts, frontPage, listings, feed, months, fences,
                    new SiteState.Storage(packs, garbage, inline, nextId));
        }
    }

    /** What to do with one field of an object, the parser at its value. */
    @FunctionalInterface
    private interface FieldReader {
        void read(String name) throws IOException;
    }

    /** What to do with one object of an array, by its scalar fields. */
    @FunctionalInterface
    private interface ObjectReader {
        void read(Map<String, String> fields) throws IOException;
    }

    private static void fields(JsonToken value, JsonParser json, FieldReader reader) throws IOException {
        expect(value, JsonToken.START_OBJECT);
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            reader.read(name);
        }
    }

    private static void objects(JsonToken value, JsonParser json, ObjectReader reader) throws IOException {
        expect(value, JsonToken.START_ARRAY);
        while (json.nextToken() == JsonToken.START_OBJECT) {
            reader.read(scalars(json));
        }
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
                        directory.add(directoryRef(json));
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new ListingMeta(name, posts, required(head, "head"), directory);
    }

    private static DirectoryRef directoryRef(JsonParser json) throws IOException {
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
        return new DirectoryRef(required(ref, "ref"), required(newest, "newest"), required(first, "first"), pages);
    }

    private static FrontPage frontPage(JsonParser json) throws IOException {
        Map<String, String> fields = scalars(json);
        return new FrontPage(Optional.ofNullable(fields.get("title")), Optional.ofNullable(fields.get("description")),
                fields.getOrDefault("introHtml", ""));
    }
}
