package dev.postrenderer.render;

import dev.postrenderer.image.PublishedImage;
import dev.postrenderer.post.Image;
import dev.postrenderer.post.UrlPolicy;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The image that represents a page in link previews and listings.
 *
 * @param sitePath    its path from the site root when it is on this site ({@code img/cover (1).JPG}),
 *                    decoded; empty for an image on another host
 * @param absoluteUrl its absolute, percent-encoded URL, when known (always for other hosts; for
 *                    site images only when the site URL is set); its widest variant's when it has
 *                    variants
 * @param width       the width of what {@code absoluteUrl} shows, as the author gave it or from the facts
 * @param published   what the site knows of it, when it is one of the site's published images
 */
public record PageImage(Optional<String> sitePath, Optional<String> absoluteUrl, Optional<String> alt,
                        OptionalInt width, OptionalInt height, Optional<String> type,
                        Optional<PublishedImage> published) {

    public PageImage {
        Objects.requireNonNull(sitePath, "sitePath == null");
        Objects.requireNonNull(absoluteUrl, "absoluteUrl == null");
        Objects.requireNonNull(alt, "alt == null");
        Objects.requireNonNull(width, "width == null");
        Objects.requireNonNull(height, "height == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(published, "published == null");
    }

    /**
     * This image as link previews should show it, now that the site's facts about it are known:
     * its widest variant with that variant's size, or the original with its size from the facts
     * when the author gave none.
     */
    PageImage with(PublishedImage image, Optional<String> siteUrl) {
        String path = sitePath.orElseThrow();
        Optional<Integer> largest = image.largest();
        if (largest.isPresent()) {
            String variant = image.variantKey(path, largest.get());
            return new PageImage(sitePath, siteUrl.map(url -> SiteUrls.absolute(url, variant)), alt,
                    OptionalInt.of(largest.get()), OptionalInt.of(image.heightAt(largest.get())),
                    Optional.of(image.variantMediaType()), Optional.of(image));
        }
        boolean sized = width.isPresent() || height.isPresent();
        return new PageImage(sitePath, absoluteUrl, alt, sized ? width : OptionalInt.of(image.facts().width()),
                sized ? height : OptionalInt.of(image.facts().height()),
                type.or(() -> Optional.of(image.facts().format().mediaType())), Optional.of(image));
    }

    /**
     * Locates a front-matter image: paths are from the site root ({@code img/a.png} and
     * {@code /img/a.png} are the same), URLs with a host are used as they are.
     */
    static Optional<PageImage> of(Image image, Optional<String> siteUrl) {
        String src = image.src();
        if (UrlPolicy.hasSchemeOrHost(src)) {
            if (!UrlPolicy.isAbsoluteHttp(src) && !src.startsWith("//")) {
                return Optional.empty();
            }
            String url = src.startsWith("//") ? "https:" + src : src;
            return Optional.of(new PageImage(Optional.empty(), Optional.of(SiteUrls.encode(url)), image.alt(),
                    image.width(), image.height(), image.type(), Optional.empty()));
        }
        String withoutQuery = src.split("[?#]", 2)[0];
        return SiteUrls.resolve("", withoutQuery.startsWith("/") ? withoutQuery.substring(1) : withoutQuery)
                .flatMap(SiteUrls::decodePath)
                .filter(path -> !path.isEmpty() && !path.endsWith("/"))
                .map(path -> new PageImage(Optional.of(path), siteUrl.map(url -> SiteUrls.absolute(url, path)),
                        image.alt(), image.width(), image.height(), image.type(), Optional.empty()));
    }
}
