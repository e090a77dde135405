package dev.postrenderer.bench;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.MarkdownRenderer;
import dev.postrenderer.render.RawHtmlPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What highlighting costs a code-heavy blog: 100 posts of prose and eight 30-line blocks each, in
 * Java, Python, TypeScript, Go, Rust, SQL, YAML and a shell session, rendered with their languages
 * named (highlighted) and with the same fences bare (plain, as before highlighting). Run by
 * {@code bench/run.sh code}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodeHighlightBenchmark {

    private static final String[][] BLOCKS = {
        {"java", "public record Point(int x, int y) {\n    /** The distance. */\n    double length() {"
                + " return Math.hypot(x, y); } // c\n}\n"},
        {"python", "def slug(title: str) -> str:\n    \"\"\"Lower case.\"\"\"\n    return '-'.join(title.split())  # c\n"},
        {"typescript", "export function count(path: string): number {\n  return (pages.get(path) ?? 0) + 1;\n}\n"},
        {"go", "func main() {\n\tx := map[string]int{\"a\": 1}\n\tfmt.Println(x) // c\n}\n"},
        {"rust", "fn main() {\n    let v: Vec<u32> = (0..10).collect();\n    println!(\"{:?}\", v);\n}\n"},
        {"sql", "SELECT key, title FROM posts\nWHERE date > '2024-01-01' -- c\nORDER BY date DESC;\n"},
        {"yaml", "Resources:\n  Function:\n    Type: AWS::Serverless::Function # c\n    Properties: {Timeout: 300}\n"},
        {"bash", "for f in posts/*.md; do\n  aws s3 cp \"$f\" \"s3://$BUCKET/$f\"\ndone\n"},
    };

    private final MarkdownRenderer renderer = new MarkdownRenderer(RawHtmlPolicy.SANITIZE);
    private final SourceKey key = SourceKey.of("posts/code.md");
    private List<String> highlighted;
    private List<String> plain;
    private int next;

    @Setup
    public void corpus() {
        highlighted = new ArrayList<>();
        plain = new ArrayList<>();
        for (int post = 0; post < 100; post++) {
            StringBuilder named = new StringBuilder();
            StringBuilder bare = new StringBuilder();
            for (String[] block : BLOCKS) {
                String prose = "A paragraph about the code below, post " + post + ", with `inline code`.\n\n";
                String code = block[1].repeat(30 / (int) block[1].lines().count() + 1);
                named.append(prose).append("```").append(block[0]).append('\n').append(code).append("```\n\n");
                bare.append(prose).append("```\n").append(code).append("```\n\n");
            }
            highlighted.add(named.toString());
            plain.add(bare.toString());
        }
    }

    @Benchmark
    public void highlighted(Blackhole sink) {
        sink.consume(renderer.render(highlighted.get(next++ % highlighted.size()), key));
    }

    @Benchmark
    public void plain(Blackhole sink) {
        sink.consume(renderer.render(plain.get(next++ % plain.size()), key));
    }
}
