package dev.postrenderer.post;

import java.util.Objects;

/**
 * One {@code head.meta} entry: {@code name: description} or {@code property: og:title}, with its
 * {@code content}.
 */
public record MetaEntry(Attribute attribute, String key, String content) {

    /** Which attribute names the entry: Twitter and plain tags use {@code name}, Open Graph {@code property}. */
    public enum Attribute {
        NAME, PROPERTY;

        /** The HTML attribute name. */
        public String html() {
            return this == NAME ? "name" : "property";
        }
    }

    public MetaEntry {
        Objects.requireNonNull(attribute, "attribute == null");
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(content, "content == null");
    }

    /** A {@code <meta name=...>} entry. */
    public static MetaEntry name(String key, String content) {
        return new MetaEntry(Attribute.NAME, key, content);
    }

    /** A {@code <meta property=...>} entry. */
    public static MetaEntry property(String key, String content) {
        return new MetaEntry(Attribute.PROPERTY, key, content);
    }
}
