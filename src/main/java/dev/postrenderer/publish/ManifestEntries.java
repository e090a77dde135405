package dev.postrenderer.publish;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.PageImage;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.site.FeedContent;
import dev.postrenderer.site.ManifestEntry;
import java.util.Optional;

/** The manifest entry of a rendered page, the same whether the function or the {@code render} command made it. */
final class ManifestEntries {

    private ManifestEntries() {
    }

    static ManifestEntry of(SourceKey sourceKey, RenderedPage page, Optional<String> sourceEtag,
                            Optional<String> sequencer, String renderer, String pageEtag, Optional<String> content) {
        return new ManifestEntry(sourceKey.key(), sourceKey.pagePath(), page.title(), page.description(), page.date(),
                page.updated(), page.tags(), page.image().flatMap(picture -> picture.sitePath().or(picture::absoluteUrl)),
                page.image().flatMap(PageImage::alt), content, sourceEtag, sequencer, renderer, Optional.of(pageEtag),
                false);
    }

    /** The page's body for the feed, with absolute URLs; none without a site URL (there is no feed then). */
    static Optional<String> feedContent(RenderedPage page, SourceKey sourceKey, RenderOptions options) {
        return options.siteUrl().map(url -> FeedContent.absolutize(page.content(), SiteUrls.absolute(url,
                sourceKey.pagePath())));
    }
}
