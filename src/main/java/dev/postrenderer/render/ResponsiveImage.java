package dev.postrenderer.render;

import dev.postrenderer.image.PublishedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The attributes of an {@code <img>} of one of the site's published images: {@code width} and
 * {@code height} from its facts (unless the author gave them), so that the page does not shift as
 * it loads; and with variants, {@code src} at the widest variant and {@code srcset} + {@code sizes}
 * so that a phone downloads the 480-pixel one. Never the original's URL when there are variants:
 * they are upright and carry none of its metadata.
 */
public final class ResponsiveImage {

    /**
     * How wide the article column is: {@code main} is 70ch of 1.125rem text, less its padding; 762
     * pixels as Chromium lays it out with the bundled stylesheet (DevBrowserTest measures it).
     */
    public static final String COLUMN = "(max-width: 480px) calc(100vw - 2rem), (max-width: 802px) calc(100vw - 2.5rem),"
            + " 762px";
    /** How wide a listing's card image is: 8rem, or the column on a phone. */
    public static final String CARD = "(max-width: 480px) calc(100vw - 2rem), 8rem";

    private ResponsiveImage() {
    }

    /**
     * The attributes for an image.
     *
     * @param sitePath  the image's path from the site root, decoded
     * @param link      the URL of a path from the site root, as the page links it
     * @param published what the site knows of it, if it is published
     * @param width     the width the author gave, if any
     * @param height    the height the author gave, if any
     * @param sizes     how wide it is shown, for {@code sizes}
     */
    public static Map<String, String> attributes(String sitePath, UnaryOperator<String> link,
                                                 Optional<PublishedImage> published,
                                          OptionalInt width, OptionalInt height, String sizes) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("src", link.apply(sitePath));
        Optional<PublishedImage> known = published;
        boolean authorSized = width.isPresent() && height.isPresent();
        if (known.isPresent()) {
            PublishedImage image = known.get();
            if (!authorSized) {
                attributes.put("width", Integer.toString(image.facts().width()));
                attributes.put("height", Integer.toString(image.facts().height()));
            }
            image.largest().ifPresent(largest -> {
                attributes.put("src", link.apply(image.variantKey(sitePath, largest)));
                StringBuilder srcset = new StringBuilder();
                for (int variant : image.variants()) {
                    srcset.append(srcset.isEmpty() ? "" : ", ").append(link.apply(image.variantKey(sitePath, variant)))
                            .append(' ').append(variant).append('w');
                }
                attributes.put("srcset", srcset.toString());
                attributes.put("sizes", sizes);
            });
        }
        if (authorSized || known.isEmpty()) {
            width.ifPresent(w -> attributes.put("width", Integer.toString(w)));
            height.ifPresent(h -> attributes.put("height", Integer.toString(h)));
        }
        return attributes;
    }

    /** The URL of a path from the site root, relative to a page's folder. */
    public static UnaryOperator<String> from(String pagePath) {
        return path -> SiteUrls.encodePath(SiteUrls.relative(pagePath, path));
    }
}
