package dev.postrenderer.render;

import dev.postrenderer.image.PublishedImage;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a page being rendered learns about the site's images: the facts and variants of the image
 * at a path from the site root, if it is published. Asked only for paths that name a JPEG, PNG,
 * GIF or WebP file. An implementation may record who asked, so that the page is rendered again
 * when the image arrives or changes.
 */
@FunctionalInterface
public interface ImageLookup {

    /** Knows no image: every page links its images as written. */
    ImageLookup NONE = path -> Optional.empty();

    /** The image published at this path from the site root ({@code img/cover (1).JPG}, decoded). */
    Optional<PublishedImage> find(String sitePath);

    /** True if a path names a file of a format whose facts are kept, by its extension. */
    static boolean isRasterImage(String path) {
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return false;
        }
        String extension = path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return extension.equals("jpg") || extension.equals("jpeg") || extension.equals("png")
                || extension.equals("gif") || extension.equals("webp");
    }
}
