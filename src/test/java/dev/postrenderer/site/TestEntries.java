package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import java.util.List;
import java.util.Optional;

/** Entries for tests of the pages around the posts. */
final class TestEntries {

    private TestEntries() {
    }

    /** The entry of {@code posts/<name>.md}, dated (or not) and tagged. */
    static PostEntry post(String name, String date, String... tags) {
        return PostEntry.builder("posts/" + name + ".md", "posts/" + name + "/").title("Title " + name)
                .description(Optional.of("About " + name)).date(Optional.ofNullable(date).flatMap(PostDate::parse))
                .tags(List.of(tags)).sourceEtag(Optional.of("etag")).renderer("r").pageEtag("page-" + name).build();
    }
}
