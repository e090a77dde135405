package dev.postrenderer.render;

import java.util.Locale;

/** What happens to raw HTML written inside markdown. Chosen by the operator ({@code RAW_HTML}), never by a post. */
public enum RawHtmlPolicy {
    /** Keep what an allowlist accepts (formatting, tables, images), drop the rest: scripts, handlers, frames, forms. */
    SANITIZE,
    /** Show raw HTML as text. */
    ESCAPE,
    /** Trust raw HTML as written. Only for sites whose every author is trusted. */
    ALLOW;

    /** Parses {@code sanitize}, {@code escape} or {@code allow}, ignoring case. */
    public static RawHtmlPolicy parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RAW_HTML must be sanitize, escape or allow, not '" + value + "'", e);
        }
    }

    /** The setting's value as written in configuration. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
