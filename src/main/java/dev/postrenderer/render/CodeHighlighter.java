package dev.postrenderer.render;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.swing.text.Segment;
import org.fife.ui.rsyntaxtextarea.Token;
import org.fife.ui.rsyntaxtextarea.TokenMaker;
import org.fife.ui.rsyntaxtextarea.TokenTypes;
import org.fife.ui.rsyntaxtextarea.modes.CPlusPlusTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.CSSTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.CTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.DockerTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.GoTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.HTMLTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.JavaScriptTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.JavaTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.JsonTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.KotlinTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.PythonTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.RustTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.SQLTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.TypeScriptTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.UnixShellTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.XMLTokenMaker;
import org.fife.ui.rsyntaxtextarea.modes.YamlTokenMaker;

/**
 * Build-time syntax highlighting of code blocks, with RSyntaxTextArea's token makers used headless
 * (never its Swing text area): each line of a block becomes {@code <span class="line">}, each
 * token a {@code <span>} with the short class Pygments and Chroma use ({@code k} keyword,
 * {@code kt} type, {@code s2} string, {@code c1} comment, {@code mi} number …), so that their
 * themes apply. Diffs are classified by their line prefixes. A language it does not know, or a
 * block past {@value #MAX_CHARS} characters or {@value #MAX_LINES} lines, is escaped plain text in
 * the same line spans. Token makers keep state, so each thread has its own. Thread-safe.
 */
final class CodeHighlighter {

    /** The languages highlighted, by the names and aliases an info string may use. */
    static final Map<String, String> LANGUAGES = languages();
    /** Larger blocks are not tokenised: their cost would count against the post's CPU budget. */
    static final int MAX_CHARS = 256 * 1024;
    static final int MAX_LINES = 20_000;

    private static final ThreadLocal<Map<String, TokenMaker>> MAKERS = ThreadLocal.withInitial(HashMap::new);

    private CodeHighlighter() {
    }

    /** The canonical name of a language the highlighter knows, by any of its names. */
    static Optional<String> language(String name) {
        return Optional.ofNullable(LANGUAGES.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The lines of a block, each in its {@code <span class="line">}, highlighted lines marked {@code hl}. */
    static String lines(Optional<String> language, String code, java.util.BitSet highlighted) {
        String[] lines = code.split("\n", -1);
        int count = code.isEmpty() || code.endsWith("\n") ? lines.length - 1 : lines.length;
        Optional<String> known = language.flatMap(CodeHighlighter::language)
                .filter(name -> code.length() <= MAX_CHARS && count <= MAX_LINES);
        StringBuilder out = new StringBuilder(code.length() * 2 + 64);
        TokenMaker maker = known.filter(name -> !name.equals("diff")).map(CodeHighlighter::maker).orElse(null);
        int state = TokenTypes.NULL;
        for (int i = 0; i < count; i++) {
            String line = lines[i]; // commonmark joins a block's lines with LF, whatever the source used
            out.append(highlighted.get(i + 1) ? "<span class=\"line hl\">" : "<span class=\"line\">");
            if (maker != null) {
                state = tokens(maker, line, state, out);
            } else if (known.isPresent()) {
                diffLine(line, out);
            } else {
                out.append(HtmlEscaper.escape(line));
            }
            out.append("</span>\n");
        }
        return out.toString();
    }

    /**
     * Appends one line's tokens.
     *
     * @return the state the next line starts in (inside a comment, a string …)
     */
    private static int tokens(TokenMaker maker, String line, int state, StringBuilder out) {
        char[] chars = line.toCharArray();
        Token token = maker.getTokenList(new Segment(chars, 0, chars.length), state, 0);
        int last = TokenTypes.NULL;
        for (; token != null; token = token.getNextToken()) {
            last = token.getType();
            if (!token.isPaintable()) {
                continue;
            }
            String text = HtmlEscaper.escape(new String(token.getTextArray(), token.getTextOffset(), token.length()));
            String css = cssClass(token.getType());
            if (css == null) {
                out.append(text);
            } else {
                out.append("<span class=\"").append(css).append("\">").append(text).append("</span>");
            }
        }
        return last;
    }

    private static void diffLine(String line, StringBuilder out) {
        String css = line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ")
                || line.startsWith("index ") ? "gh"
                : line.startsWith("@@") ? "gu"
                : line.startsWith("+") ? "gi"
                : line.startsWith("-") ? "gd"
                : null;
        String text = HtmlEscaper.escape(line);
        out.append(css == null ? text : "<span class=\"" + css + "\">" + text + "</span>");
    }

    /** The Pygments class of a token type; none for names, spaces and punctuation, which keep the text colour. */
    static String cssClass(int type) {
        return switch (type) {
            case TokenTypes.COMMENT_EOL -> "c1";
            case TokenTypes.COMMENT_MULTILINE, TokenTypes.MARKUP_COMMENT -> "cm";
            case TokenTypes.COMMENT_DOCUMENTATION, TokenTypes.COMMENT_KEYWORD, TokenTypes.COMMENT_MARKUP -> "cs";
            case TokenTypes.RESERVED_WORD, TokenTypes.RESERVED_WORD_2 -> "k";
            case TokenTypes.DATA_TYPE -> "kt";
            case TokenTypes.LITERAL_BOOLEAN -> "kc";
            case TokenTypes.FUNCTION -> "nb";
            case TokenTypes.LITERAL_NUMBER_DECIMAL_INT, TokenTypes.ERROR_NUMBER_FORMAT -> "mi";
            case TokenTypes.LITERAL_NUMBER_FLOAT -> "mf";
            case TokenTypes.LITERAL_NUMBER_HEXADECIMAL -> "mh";
            case TokenTypes.LITERAL_STRING_DOUBLE_QUOTE, TokenTypes.ERROR_STRING_DOUBLE -> "s2";
            case TokenTypes.LITERAL_CHAR, TokenTypes.ERROR_CHAR -> "s1";
            case TokenTypes.LITERAL_BACKQUOTE -> "sb";
            case TokenTypes.REGEX -> "sr";
            case TokenTypes.VARIABLE -> "nv";
            case TokenTypes.ANNOTATION -> "nd";
            case TokenTypes.OPERATOR -> "o";
            case TokenTypes.PREPROCESSOR, TokenTypes.MARKUP_DTD, TokenTypes.MARKUP_PROCESSING_INSTRUCTION,
                 TokenTypes.MARKUP_CDATA_DELIMITER -> "cp";
            case TokenTypes.MARKUP_TAG_NAME -> "nt";
            case TokenTypes.MARKUP_TAG_ATTRIBUTE -> "na";
            case TokenTypes.MARKUP_TAG_ATTRIBUTE_VALUE -> "s";
            case TokenTypes.MARKUP_ENTITY_REFERENCE -> "ni";
            default -> null;
        };
    }

    /** This thread's token maker for a language, made on first use: each holds the state of its scan. */
    private static TokenMaker maker(String language) {
        return MAKERS.get().computeIfAbsent(language, CodeHighlighter::newMaker);
    }

    /** A new token maker; a switch, so that only the languages a site uses are ever loaded. */
    static TokenMaker newMaker(String language) {
        return switch (language) {
            case "java" -> new JavaTokenMaker();
            case "kotlin" -> new KotlinTokenMaker();
            case "python" -> new PythonTokenMaker();
            case "javascript" -> new JavaScriptTokenMaker();
            case "typescript" -> new TypeScriptTokenMaker();
            case "json" -> new JsonTokenMaker();
            case "yaml" -> new YamlTokenMaker();
            case "shell" -> new UnixShellTokenMaker();
            case "go" -> new GoTokenMaker();
            case "rust" -> new RustTokenMaker();
            case "sql" -> new SQLTokenMaker();
            case "html" -> new HTMLTokenMaker();
            case "xml" -> new XMLTokenMaker();
            case "css" -> new CSSTokenMaker();
            case "dockerfile" -> new DockerTokenMaker();
            case "c" -> new CTokenMaker();
            case "cpp" -> new CPlusPlusTokenMaker();
            default -> throw new IllegalArgumentException("no token maker for " + language);
        };
    }

    private static Map<String, String> languages() {
        Map<String, String> names = new HashMap<>();
        alias(names, "java");
        alias(names, "kotlin", "kt", "kts");
        alias(names, "python", "py", "python3");
        alias(names, "javascript", "js", "mjs", "cjs", "jsx");
        alias(names, "typescript", "ts", "tsx");
        alias(names, "json", "jsonc");
        alias(names, "yaml", "yml");
        alias(names, "shell", "bash", "sh", "zsh", "console", "shell-session");
        alias(names, "go", "golang");
        alias(names, "rust", "rs");
        alias(names, "sql");
        alias(names, "html", "htm", "xhtml");
        alias(names, "xml", "svg", "xsl");
        alias(names, "css");
        alias(names, "dockerfile", "docker");
        alias(names, "c", "h");
        alias(names, "cpp", "c++", "cc", "cxx", "hpp");
        alias(names, "diff", "patch");
        return Map.copyOf(names);
    }

    private static void alias(Map<String, String> names, String language, String... aliases) {
        names.put(language, language);
        for (String alias : aliases) {
            names.put(alias, language);
        }
    }

    /** The canonical languages, for tests that check each gets its own tokenizer. */
    static Set<String> canonical() {
        return Set.copyOf(LANGUAGES.values());
    }
}
