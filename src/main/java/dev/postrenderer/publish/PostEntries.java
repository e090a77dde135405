package dev.postrenderer.publish;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.PageImage;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.site.PostEntry;
import java.util.Optional;

/** The state's entry for a rendered page. */
final class PostEntries {

    private PostEntries() {
    }

    static PostEntry of(SourceKey sourceKey, RenderedPage page, Optional<String> sourceEtag,
                        Optional<String> sequencer, String renderer, String pageEtag) {
        return PostEntry.builder(sourceKey.key(), sourceKey.pagePath())
                .title(page.title())
                .description(page.description())
                .date(page.date())
                .updated(page.updated())
                .tags(page.tags())
                .image(page.image().flatMap(picture -> picture.sitePath().or(picture::absoluteUrl)))
                .imageAlt(page.image().flatMap(PageImage::alt))
                .imageFacts(page.image().flatMap(PageImage::published))
                .sourceEtag(sourceEtag)
                .sequencer(sequencer)
                .renderer(renderer)
                .pageEtag(pageEtag)
                .build();
    }
}
