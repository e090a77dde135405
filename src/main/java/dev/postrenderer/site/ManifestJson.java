package dev.postrenderer.site;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.postrenderer.post.PostDate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@code _site/manifest.json}. Writing is deterministic (entries by key, fields in
 * a fixed order), so equal manifests have equal bytes; unknown fields are ignored on reading, so
 * an older reader survives a newer writer.
 */
public final class ManifestJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ManifestJson() {
    }

    /** The manifest as UTF-8 JSON. */
    public static byte[] write(SiteManifest manifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("version", manifest.version());
            json.writeStringField("layouts", manifest.layouts());
            if (manifest.frontPage().isPresent()) {
                FrontPage page = manifest.frontPage().get();
                json.writeObjectFieldStart("frontPage");
                optional(json, "title", page.title());
                optional(json, "description", page.description());
                json.writeStringField("introHtml", page.introHtml());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("entries");
            for (ManifestEntry entry : manifest.entries().values()) {
                json.writeRaw('\n');
                json.writeStartObject();
                json.writeStringField("sourceKey", entry.sourceKey());
                json.writeStringField("path", entry.path());
                if (entry.deleted()) {
                    json.writeBooleanField("deleted", true);
                } else {
                    json.writeStringField("title", entry.title());
                    optional(json, "description", entry.description());
                    optional(json, "date", entry.date().map(PostDate::iso));
                    optional(json, "updated", entry.updated().map(PostDate::iso));
                    json.writeArrayFieldStart("tags");
                    for (String tag : entry.tags()) {
                        json.writeString(tag);
                    }
                    json.writeEndArray();
                    optional(json, "image", entry.image());
                    optional(json, "imageAlt", entry.imageAlt());
                    optional(json, "sourceEtag", entry.sourceEtag());
                    json.writeStringField("renderer", entry.renderer());
                    optional(json, "pageEtag", entry.pageEtag());
                }
                optional(json, "sequencer", entry.sequencer());
                optional(json, "content", entry.content());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a manifest.
     *
     * @throws IllegalArgumentException if the bytes are not a manifest
     */
    public static SiteManifest read(byte[] bytes) {
        try (JsonParser json = JSON.createParser(bytes)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            long version = 0;
            String layouts = "";
            Optional<FrontPage> frontPage = Optional.empty();
            Map<String, ManifestEntry> entries = new HashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "version" -> version = json.getLongValue();
                    case "layouts" -> layouts = json.getText();
                    case "frontPage" -> frontPage = Optional.of(frontPage(json));
                    case "entries" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            ManifestEntry entry = entry(json);
                            entries.put(entry.sourceKey(), entry);
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            return new SiteManifest(version, frontPage, layouts, entries);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a site manifest: " + e.getMessage(), e);
        }
    }

    private static FrontPage frontPage(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            if (json.currentToken().isScalarValue()) {
                fields.put(name, json.getText());
            } else {
                json.skipChildren();
            }
        }
        return new FrontPage(Optional.ofNullable(fields.get("title")), Optional.ofNullable(fields.get("description")),
                fields.getOrDefault("introHtml", ""));
    }

    private static ManifestEntry entry(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        List<String> tags = new ArrayList<>();
        boolean deleted = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (name.equals("tags") && value == JsonToken.START_ARRAY) {
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    tags.add(json.getText());
                }
            } else if (name.equals("deleted")) {
                deleted = json.getValueAsBoolean();
            } else if (value.isScalarValue()) {
                fields.put(name, json.getText());
            } else {
                json.skipChildren();
            }
        }
        String sourceKey = required(fields, "sourceKey");
        return new ManifestEntry(sourceKey, required(fields, "path"), fields.getOrDefault("title", ""),
                optional(fields, "description"), optional(fields, "date").flatMap(PostDate::parse),
                optional(fields, "updated").flatMap(PostDate::parse), tags, optional(fields, "image"),
                optional(fields, "imageAlt"), optional(fields, "content"), optional(fields, "sourceEtag"),
                optional(fields, "sequencer"), fields.getOrDefault("renderer", ""), optional(fields, "pageEtag"),
                deleted);
    }

    private static void optional(JsonGenerator json, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get());
        }
    }

    private static Optional<String> optional(Map<String, String> fields, String name) {
        return Optional.ofNullable(fields.get(name));
    }

    private static String required(Map<String, String> fields, String name) throws IOException {
        String value = fields.get(name);
        if (value == null) {
            throw new IOException("an entry has no " + name);
        }
        return value;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
