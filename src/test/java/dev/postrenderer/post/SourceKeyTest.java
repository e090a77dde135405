package dev.postrenderer.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postrenderer.post.SourceKey.Kind;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourceKeyTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "posts/ai-art.md           | POST       | posts/ai-art/index.html",
        "posts/Notes.MARKDOWN      | POST       | posts/Notes/index.html",
        "posts/my first post.md    | POST       | posts/my first post/index.html",
        "posts/café-über.md        | POST       | posts/café-über/index.html",
        "about/index.md            | POST       | about/index.html",
        "about.md                  | POST       | about/index.html",
        "index.md                  | FRONT_PAGE | index.html",
        "img/cover (1).JPG         | ASSET      | img/cover (1).JPG",
        "humans.txt                | ASSET      | humans.txt",
        "posts/x/index.html        | ASSET      | posts/x/index.html",
        ".well-known/security.txt  | ASSET      | .well-known/security.txt",
        "_layouts/post.mustache    | IGNORED    | ",
        "posts/_drafts/idea.md     | IGNORED    | ",
        "posts/.DS_Store           | IGNORED    | ",
        "posts/                    | IGNORED    | ",
    })
    void keysMapToTheirSiteKeysAsDesignSays(String key, Kind kind, String siteKey) {
        SourceKey source = SourceKey.of(key);
        assertThat(source.kind()).isEqualTo(kind);
        assertThat(source.siteKey()).isEqualTo(Optional.ofNullable(siteKey));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/posts/a.md", "posts/../../x.md", "../x.md", "posts/./a.md", "posts//a.md",
        "posts/a\u0000.md", "posts/a\nb.md", "posts/a\u0085.md", "posts\\..\\x.md"})
    void keysThatCouldEscapeOrSmuggleAreRejected(String key) {
        assertThatThrownBy(() -> SourceKey.of(key))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("the key");
    }

    @ParameterizedTest(name = "{0} is reserved for {1}")
    @CsvSource(delimiter = '|', value = {
        "index.html              | the generated front page",
        "404.html                | the generated \"not found\" page",
        "feed.xml                | the generated feed",
        "sitemap.xml             | the generated sitemap",
        "sitemaps/2024-03.xml    | the generated sitemaps",
        "robots.txt              | the generated robots.txt",
        "favicon.svg             | the generated favicon",
        "page/2024-01-01-ab12cd34/index.html | the front page's archive pages",
        "page/2024-01-01-ab12cd34.md | the front page's archive pages",
        "tags/ai/index.html      | the generated tag pages",
        "tags.md                 | the generated tag pages",
    })
    void generatedSiteKeysAreReservedWhateverUploadClaimsThem(String key, String owner) {
        assertThatThrownBy(() -> SourceKey.of(key))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining("reserved for " + owner);
        assertThat(SourceKey.ifValid(key)).isEmpty();
    }

    @ParameterizedTest(name = "{0} takes precedence over {1}")
    @CsvSource(delimiter = '|', value = {
        "about/index.md       | about.md",
        "about/INDEX.md       | about.md",
        "about.md             | about.markdown",
        "about.MD             | about.md",
        "about/index.markdown | about.md",
        "posts/x.md           | posts/x/index.html",
        "posts/x/index.md     | posts/x/index.html",
        "index.md             | index.markdown",
    })
    void ofTwoKeysForOnePageOneWinsWhicheverIsAsked(String winner, String loser) {
        SourceKey first = SourceKey.of(winner);
        SourceKey second = SourceKey.of(loser);
        assertThat(first.siteKey()).isEqualTo(second.siteKey());
        assertThat(first.rivals(second)).isTrue();
        assertThat(first.precedence(second)).isNegative();
        assertThat(second.precedence(first)).isPositive();
    }

    @org.junit.jupiter.api.Test
    void rivalsOfAPageAreFoundUnderTwoPrefixes() {
        assertThat(SourceKey.of("posts/x.md").rivalPrefixes()).containsExactly("posts/x.", "posts/x/");
        assertThat(SourceKey.of("posts/x/index.html").rivalPrefixes()).containsExactly("posts/x.", "posts/x/");
        assertThat(SourceKey.of("img/a.png").rivalPrefixes()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void keysLongerThanS3AllowsAreRejected() {
        assertThatThrownBy(() -> SourceKey.of("posts/" + "a".repeat(1020) + ".md"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("longer than 1024 bytes");
    }

    @org.junit.jupiter.api.Test
    void errorMessagesShowControlCharactersAsEscapes() {
        assertThatThrownBy(() -> SourceKey.of("posts/a\u001b[31m.md"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageStartingWith("posts/a\\u001b[31m.md: ");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "posts/no-title.md       | No title",
        "posts/my_first_post.md  | My first post",
        "about/index.md          | About",
    })
    void theFileTitleComesFromTheName(String key, String title) {
        assertThat(SourceKey.of(key).fileTitle()).isEqualTo(title);
    }
}
