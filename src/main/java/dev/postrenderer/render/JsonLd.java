package dev.postrenderer.render;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.SerializableString;
import software.amazon.awssdk.thirdparty.jackson.core.io.CharacterEscapes;
import software.amazon.awssdk.thirdparty.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON for a {@code <script type="application/ld+json">} element: real JSON in which
 * {@code <}, {@code >}, {@code &}, {@code '} and the JavaScript line separators are {@code \\u}
 * escapes, so no value can close the script element or be read as markup. Thread-safe.
 */
final class JsonLd {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final HtmlSafeEscapes ESCAPES = new HtmlSafeEscapes();

    private JsonLd() {
    }

    /** Serialises nested maps, lists and strings; map entries keep their order and {@code null} values are left out. */
    static String write(Map<String, ?> value) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.setCharacterEscapes(ESCAPES);
            writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getValue() != null) {
                    generator.writeFieldName(entry.getKey().toString());
                    writeValue(generator, entry.getValue());
                }
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else {
            generator.writeString(value.toString());
        }
    }

    /** Jackson's JSON escapes, plus the characters that matter inside an HTML script element. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final String HTML_SIGNIFICANT = "<>&'";
        private final int[] ascii;

        HtmlSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            for (char c : HTML_SIGNIFICANT.toCharArray()) {
                ascii[c] = ESCAPE_CUSTOM;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (HTML_SIGNIFICANT.indexOf(ch) >= 0 || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
