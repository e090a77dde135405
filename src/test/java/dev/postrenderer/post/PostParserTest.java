package dev.postrenderer.post;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PostParserTest {

    private static final PostParser PARSER = new PostParser(524_288);
    private static final SourceKey KEY = SourceKey.of("posts/example.md");

    private static Post parse(String text) {
        return PARSER.parse(KEY, text.getBytes(UTF_8));
    }

    private static Post parse(byte[] bytes) {
        return PARSER.parse(KEY, bytes);
    }

    @Test
    void frontMatterIsSeparatedFromTheBody() {
        Post post = parse("---\ntitle: Hello\n---\n# Body\n");
        assertThat(post.frontMatter().title()).contains("Hello");
        assertThat(post.body()).isEqualTo("# Body\n");
        assertThat(post.bodyLine()).isEqualTo(4);
    }

    @Test
    void utf8ByteOrderMarkIsSkipped() {
        byte[] text = "---\ntitle: Bom\n---\nbody".getBytes(UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertThat(parse(withBom).frontMatter().title()).contains("Bom");
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        Post post = parse("---\r\ntitle: Windows\r\ntags: [a, b]\r\n---\r\nLine one\r\nLine two\r\n");
        assertThat(post.frontMatter().title()).contains("Windows");
        assertThat(post.frontMatter().tags()).containsExactly("a", "b");
        assertThat(post.body()).isEqualTo("Line one\nLine two\n");
    }

    @Test
    void threeDotsCloseTheFrontMatterToo() {
        Post post = parse("---\ntitle: Dots\n...\nbody");
        assertThat(post.frontMatter().title()).contains("Dots");
        assertThat(post.body()).isEqualTo("body");
    }

    @Test
    void aPostWithoutFrontMatterIsAllBody() {
        Post post = parse("# Just markdown\n\n---\n\nA rule above.\n");
        assertThat(post.frontMatter()).isEqualTo(FrontMatter.EMPTY);
        assertThat(post.body()).startsWith("# Just markdown");
        assertThat(post.bodyLine()).isEqualTo(1);
    }

    @Test
    void emptyFrontMatterIsEmpty() {
        assertThat(parse("---\n---\nbody").frontMatter()).isEqualTo(FrontMatter.EMPTY);
        assertThat(parse("---\n\n---\nbody").frontMatter()).isEqualTo(FrontMatter.EMPTY);
    }

    @Test
    void frontMatterAtTheEndOfTheFileLeavesAnEmptyBody() {
        assertThat(parse("---\ntitle: Only\n---").body()).isEmpty();
    }

    @Test
    void unterminatedFrontMatterIsRejected() {
        assertThatThrownBy(() -> parse("---\ntitle: Open\n\nNo closing line"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageStartingWith("posts/example.md: ")
                .hasMessageContaining("never closed");
    }

    @Test
    void utf16AndUtf32AreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> parse(new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0}))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("UTF-16");
        assertThatThrownBy(() -> parse(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 'a'}))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("UTF-16");
        assertThatThrownBy(() -> parse(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0, 'a', 0, 0, 0}))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("UTF-32");
        assertThatThrownBy(() -> parse(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 'a'}))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("UTF-32");
    }

    @Test
    void invalidUtf8IsRejectedWithItsOffset() {
        assertThatThrownBy(() -> parse(new byte[] {'o', 'k', (byte) 0xC3, '(', 'x'}))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("offset 2");
    }

    @Test
    void nulBytesAreRejectedAsBinary() {
        assertThatThrownBy(() -> parse(new byte[] {'#', ' ', 'a', 0, 'b'}))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void postsOverTheSizeLimitAreRejected() {
        PostParser small = new PostParser(10);
        assertThatThrownBy(() -> small.parse(KEY, "0123456789A".getBytes(UTF_8)))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("11 bytes")
                .hasMessageContaining("MAX_POST_BYTES");
        assertThat(small.parse(KEY, "0123456789".getBytes(UTF_8)).body()).isEqualTo("0123456789");
    }

    @Test
    void datesAreParsedExplicitlyInTheirThreeForms() {
        FrontMatter front = parse("""
                ---
                date: 2024-02-29T18:45:00+01:00
                updated: 2024-04-02T09:30:00Z
                ---
                """).frontMatter();
        assertThat(front.date()).map(PostDate::value).contains(OffsetDateTime.parse("2024-02-29T18:45:00+01:00"));
        assertThat(front.date()).map(PostDate::iso).contains("2024-02-29T18:45:00+01:00");
        assertThat(front.updated()).map(PostDate::iso).contains("2024-04-02T09:30:00Z");
        FrontMatter dateOnly = parse("---\ndate: 2024-03-18\n---\n").frontMatter();
        assertThat(dateOnly.date()).map(PostDate::iso).contains("2024-03-18");
        assertThat(dateOnly.date()).map(PostDate::rfc3339).contains("2024-03-18T00:00:00Z");
    }

    @Test
    void anImpossibleDateIsRejectedWithItsLine() {
        assertThatThrownBy(() -> parse("---\ntitle: x\ndate: 2023-02-30\n---\n"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("'date' is not a date")
                .hasMessageContaining("line 3");
    }

    @Test
    void scalarsAreNeverTypeGuessed() {
        FrontMatter front = parse("""
                ---
                title: NO
                description: 1.10
                country: no
                version: 010
                ---
                """).frontMatter();
        assertThat(front.title()).contains("NO");
        assertThat(front.description()).contains("1.10");
        assertThat(front.extra()).containsEntry("country", "no").containsEntry("version", "010");
    }

    @Test
    void tagsMayBeAListOrACommaSeparatedText() {
        assertThat(parse("---\ntags: [AI art, ml, ml]\n---\n").frontMatter().tags()).containsExactly("AI art", "ml");
        assertThat(parse("---\ntags: 'one, two ,, three'\n---\n").frontMatter().tags())
                .containsExactly("one", "two", "three");
        assertThat(parse("---\ntags:\n  - block\n  - list\n---\n").frontMatter().tags()).containsExactly("block", "list");
    }

    @Test
    void imageMayBeAPathOrAMap() {
        assertThat(parse("---\nimage: img/a.png\n---\n").frontMatter().image()).contains(Image.of("img/a.png"));
        Image image = parse("""
                ---
                image:
                  src: '/assets/image.jpg'
                  alt: 'An image'
                  width: 400
                  height: 300
                  type: image/jpeg
                ---
                """).frontMatter().image().orElseThrow();
        assertThat(image).isEqualTo(new Image("/assets/image.jpg", Optional.of("An image"), OptionalInt.of(400),
                OptionalInt.of(300), Optional.of("image/jpeg")));
    }

    @Test
    void imageFieldsAreChecked() {
        assertThatThrownBy(() -> parse("---\nimage:\n  src: a.png\n  width: wide\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("image.width");
        assertThatThrownBy(() -> parse("---\nimage:\n  alt: no source\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("needs a src");
        assertThatThrownBy(() -> parse("---\nimage:\n  sorc: a.png\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("'image.sorc' is not an image field");
        assertThatThrownBy(() -> parse("---\nimage: 'javascript:alert(1)'\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("must be a path on the site");
    }

    @Test
    void headMetaAndLinkAreRead() {
        Head head = parse("""
                ---
                head:
                  title: Head title
                  description: Head description
                  meta:
                    - name: keywords
                      content: a, b
                    - property: og:type
                      content: website
                  link:
                    - rel: canonical
                      href: https://example.org/post
                ---
                """).frontMatter().head();
        assertThat(head.title()).contains("Head title");
        assertThat(head.description()).contains("Head description");
        assertThat(head.meta()).containsExactly(MetaEntry.name("keywords", "a, b"), MetaEntry.property("og:type", "website"));
        assertThat(head.link()).containsExactly(new LinkEntry(Map.of("rel", "canonical", "href", "https://example.org/post")));
    }

    @Test
    void httpEquivMetaIsRejected() {
        assertThatThrownBy(() -> parse("""
                ---
                head:
                  meta:
                    - http-equiv: refresh
                      content: 0; url=https://evil.example
                ---
                """))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("head.meta[1].http-equiv")
                .hasMessageContaining("not allowed");
    }

    @Test
    void aMetaValueThatIsAScriptUrlIsRejectedWhateverItsName() {
        assertThatThrownBy(() -> parse("---\nhead:\n  meta:\n    - property: o.mdg:url\n      content: javascript:alert(1)\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("must be an http(s) URL or a path");
        assertThatThrownBy(() -> parse("---\nhead:\n  meta:\n    - name: x:image\n      content: ' DATA:text/html,x'\n---\n"))
                .isInstanceOf(InvalidPostException.class);
        assertThat(parse("---\nhead:\n  meta:\n    - name: description\n      content: 'javascript: the good parts'\n---\n")
                .frontMatter().head().meta()).hasSize(1);
    }

    @Test
    void metaValuesMustBePlainText() {
        assertThatThrownBy(() -> parse("---\nhead:\n  meta:\n    - name: x\n      content: [a, b]\n---\n"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("'head.meta[1].content' must be text, not a list");
        assertThatThrownBy(() -> parse("---\nhead:\n  meta:\n    - name: a\n      property: b\n      content: c\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("exactly one of name or property");
        assertThatThrownBy(() -> parse("---\nhead:\n  meta:\n    - name: '\"><script>'\n      content: c\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("invalid name");
    }

    @Test
    void headLinksAreLimitedToSafeRelationsAndUrls() {
        assertThatThrownBy(() -> parse("---\nhead:\n  link:\n    - rel: stylesheet\n      href: https://cdn.example/x.css\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("head.link[1].rel");
        assertThatThrownBy(() -> parse("---\nhead:\n  link:\n    - rel: canonical\n      href: 'javascript:alert(1)'\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("head.link[1].href");
        assertThatThrownBy(() -> parse("---\nhead:\n  link:\n    - rel: canonical\n      href: /x\n      onload: alert(1)\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("head.link[1].onload");
    }

    @Test
    void unsupportedHeadKeysAreRejectedRatherThanIgnored() {
        assertThatThrownBy(() -> parse("---\nhead:\n  script:\n    - src: https://evil.example/x.js\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("'head.script' is not supported");
    }

    @Test
    void draftLangAndAuthorAreRead() {
        FrontMatter front = parse("""
                ---
                draft: true
                lang: pt-BR
                author:
                  name: Ada
                  url: https://ada.example
                ---
                """).frontMatter();
        assertThat(front.draft()).isTrue();
        assertThat(front.lang()).contains("pt-BR");
        assertThat(front.author()).contains(new Author("Ada", Optional.of("https://ada.example")));
        assertThat(parse("---\nauthor: Ada Park\n---\n").frontMatter().author())
                .contains(new Author("Ada Park", Optional.empty()));
        assertThat(parse("---\ndraft: false\n---\n").frontMatter().draft()).isFalse();
    }

    @Test
    void draftMustBeTrueOrFalse() {
        assertThatThrownBy(() -> parse("---\ndraft: maybe\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("true or false");
    }

    @Test
    void aBadLanguageTagIsRejected() {
        assertThatThrownBy(() -> parse("---\nlang: '\" onload=x'\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("'lang' must be a language tag");
    }

    @Test
    void unknownKeysAreKeptForLayouts() {
        FrontMatter front = parse("""
                ---
                title: Kept
                subtitle: A subtitle
                series:
                  name: Serverless
                  part: 2
                links: [a, b]
                ---
                """).frontMatter();
        assertThat(front.extra()).containsEntry("subtitle", "A subtitle")
                .containsEntry("series", Map.of("name", "Serverless", "part", "2"))
                .containsEntry("links", List.of("a", "b"));
    }

    @Test
    void frontMatterThatIsNotAMappingIsRejected() {
        assertThatThrownBy(() -> parse("---\n- a\n- b\n---\n"))
                .isInstanceOf(InvalidPostException.class).hasMessageContaining("must be a mapping");
    }

    @Test
    void yamlSyntaxErrorsNameTheLineAndColumnOfTheFile() {
        assertThatThrownBy(() -> parse("---\ntitle: ok\ndescription: \"unclosed\n---\nbody"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageStartingWith("posts/example.md: front matter: ")
                .hasMessageContaining("line ");
    }
}
