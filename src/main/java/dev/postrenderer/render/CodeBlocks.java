package dev.postrenderer.render;

import java.util.List;
import java.util.Set;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Fenced code blocks as technical readers expect them: highlighted ({@link CodeHighlighter}), one
 * {@code <span class="line">} per line, with the info string's options ({@link CodeFence}): lines
 * to highlight, line numbers drawn by CSS (so never copied with the code), a caption. A block with
 * neither language nor options stays as CommonMark writes it. Stateless.
 *
 * <pre>{@code
 * <figure class="code-block"><figcaption>Main.java</figcaption>
 * <pre class="highlight linenos"><code class="language-java"><span class="line">…</span>
 * </code></pre></figure>
 * }</pre>
 */
final class CodeBlocks {

    private CodeBlocks() {
    }

    /** A fenced block once rendered: its HTML is written as it is. */
    static final class Rendered extends CustomBlock {
        final String html;

        Rendered(String html) {
            this.html = html;
        }
    }

    /** Writes {@link Rendered} blocks. */
    static final class Writer implements NodeRenderer {
        private final HtmlWriter html;

        Writer(HtmlNodeRendererContext context) {
            this.html = context.getWriter();
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Rendered.class);
        }

        @Override
        public void render(Node node) {
            html.line();
            html.raw(((Rendered) node).html);
            html.line();
        }
    }

    /**
     * Renders the fenced blocks that name a language or options in place of their nodes.
     *
     * @param firstLine the line of the source file the markdown starts on, for the warnings
     * @param warnings  where options that cannot be understood are reported, with their line
     * @return true if any block was highlighted or given line features: the page needs the palette
     */
    static boolean render(List<FencedCodeBlock> blocks, int firstLine, List<String> warnings) {
        boolean any = false;
        for (FencedCodeBlock block : blocks) {
            String info = block.getInfo() == null ? "" : block.getInfo();
            if (info.isBlank()) {
                continue;
            }
            CodeFence fence = CodeFence.parse(info);
            int line = firstLine + block.getSourceSpans().stream().findFirst().map(SourceSpan::getLineIndex).orElse(0);
            fence.problems().forEach(problem -> warnings.add("line " + line + ": " + problem + "; ignored"));
            block.insertBefore(new Rendered(html(fence, block.getLiteral())));
            block.unlink();
            any = true;
        }
        return any;
    }

    /** The HTML of one block. */
    static String html(CodeFence fence, String code) {
        StringBuilder out = new StringBuilder(code.length() * 2 + 128);
        fence.title().ifPresent(title -> out.append("<figure class=\"code-block\"><figcaption>")
                .append(HtmlEscaper.escape(title)).append("</figcaption>\n"));
        out.append(fence.lineNumbers() ? "<pre class=\"highlight linenos\"><code" : "<pre class=\"highlight\"><code");
        fence.language().ifPresent(language -> out.append(" class=\"language-").append(HtmlEscaper.escape(language))
                .append('"'));
        out.append('>').append(CodeHighlighter.lines(fence.language(), code, fence.highlighted())).append("</code></pre>");
        fence.title().ifPresent(title -> out.append("</figure>"));
        return out.toString();
    }
}
