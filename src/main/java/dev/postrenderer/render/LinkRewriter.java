package dev.postrenderer.render;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.post.UrlPolicy;
import java.util.Optional;

/**
 * Rewrites the relative links and images of one post so that they still work from its pretty
 * URL: {@code ../img/a.png} in {@code posts/x.md} is {@code ../../img/a.png} from
 * {@code posts/x/}, and a link to another post's {@code .md} file becomes a link to its page.
 * Absolute URLs, fragments and links that climb above the site root are left as written.
 */
final class LinkRewriter {

    private final String sourceFolder;
    private final String pageFolder;
    private final String[] pageSegments;

    LinkRewriter(SourceKey source) {
        String key = source.key();
        this.sourceFolder = key.substring(0, key.lastIndexOf('/') + 1);
        this.pageFolder = source.pagePath();
        this.pageSegments = SiteUrls.segments(pageFolder);
    }

    /** The reference to use on the page for a URL written in the post. */
    String rewrite(String url) {
        if (url.isEmpty() || url.startsWith("#") || url.startsWith("https://") || url.startsWith("http://")
                || UrlPolicy.hasSchemeOrHost(url)) {
            return url;
        }
        int cut = indexOfAny(url, '?', '#');
        String path = cut < 0 ? url : url.substring(0, cut);
        String suffix = cut < 0 ? "" : url.substring(cut);
        if (path.isEmpty()) {
            return url;
        }
        Optional<String> resolved = SiteUrls.resolve(sourceFolder, path);
        if (resolved.isEmpty()) {
            return url;
        }
        String target = resolved.get();
        Optional<String> page = SiteUrls.decodePath(target).flatMap(LinkRewriter::pageOf);
        return SiteUrls.relative(pageSegments, page.orElse(target)) + suffix;
    }

    /**
     * The path from the site root, decoded, of what a relative URL written in the post points to;
     * empty for absolute URLs, fragments and paths that climb above the root.
     */
    Optional<String> sitePath(String url) {
        if (url.isEmpty() || url.startsWith("#") || UrlPolicy.hasSchemeOrHost(url)) {
            return Optional.empty();
        }
        int cut = indexOfAny(url, '?', '#');
        String path = cut < 0 ? url : url.substring(0, cut);
        return path.isEmpty() ? Optional.empty() : SiteUrls.resolve(sourceFolder, path).flatMap(SiteUrls::decodePath);
    }

    /** The reference from this page to a path from the site root. */
    String toSitePath(String path) {
        return SiteUrls.relative(pageSegments, path);
    }

    private static Optional<String> pageOf(String key) {
        return SourceKey.ifValid(key).filter(SourceKey::isMarkdown).map(SourceKey::pagePath);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }
}
