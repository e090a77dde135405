package dev.postrenderer.post;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One {@code head.link} entry: its attributes in the order written; {@code rel} and {@code href} are always present. */
public record LinkEntry(Map<String, String> attributes) {

    public LinkEntry {
        Objects.requireNonNull(attributes, "attributes == null");
        if (!attributes.containsKey("rel") || !attributes.containsKey("href")) {
            throw new IllegalArgumentException("a link needs rel and href: " + attributes);
        }
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The {@code rel} value, such as {@code canonical}. */
    public String rel() {
        return attributes.get("rel");
    }

    /** The {@code href} value. */
    public String href() {
        return attributes.get("href");
    }
}
