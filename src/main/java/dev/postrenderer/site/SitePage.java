package dev.postrenderer.site;

import java.util.Arrays;
import java.util.Objects;

/** A file of the site derived from the manifest: the front page, a tag page, the feed … */
public record SitePage(String key, String contentType, byte[] content) {

    public SitePage {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(contentType, "contentType == null");
        Objects.requireNonNull(content, "content == null");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SitePage page && key.equals(page.key) && contentType.equals(page.contentType)
                && Arrays.equals(content, page.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, contentType, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "SitePage[" + key + ", " + contentType + ", " + content.length + " bytes]";
    }
}
