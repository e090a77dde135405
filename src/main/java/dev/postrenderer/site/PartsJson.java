package dev.postrenderer.site;

import dev.postrenderer.image.PublishedImage;
import static dev.postrenderer.site.JsonCodec.expect;
import static dev.postrenderer.site.JsonCodec.optional;
import static dev.postrenderer.site.JsonCodec.position;
import static dev.postrenderer.site.JsonCodec.read;
import static dev.postrenderer.site.JsonCodec.required;
import static dev.postrenderer.site.JsonCodec.write;

import dev.postrenderer.post.PostDate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

/**
 * The JSON of the state's parts: the posts of a page, and a part of a listing's directory. Writing
 * is deterministic (fields in a fixed order); unknown fields are skipped on reading. Every read
 * failure is an {@link IllegalArgumentException}.
 */
public final class PartsJson {

    private PartsJson() {
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
        return read(bytes, PartsJson::entries);
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
        optional(json, "imageFacts", entry.imageFacts().map(PublishedImage::encode));
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
                    .imageFacts(Optional.ofNullable(fields.get("imageFacts")).flatMap(PublishedImage::decode))
                    .sourceEtag(Optional.ofNullable(fields.get("etag")))
                    .sequencer(Optional.ofNullable(fields.get("sequencer")))
                    .renderer(fields.getOrDefault("renderer", ""))
                    .pageEtag(fields.getOrDefault("page", ""))
                    .build());
        }
        return entries;
    }
}
