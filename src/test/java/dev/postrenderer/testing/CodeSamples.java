package dev.postrenderer.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A snippet of code per language the highlighter supports, and the token span only its real tokenizer writes. */
public final class CodeSamples {

    /** By canonical language: the snippet, and a span its tokenizer (not the plain fallback) writes. */
    public static final Map<String, String[]> BY_LANGUAGE = Collections.unmodifiableMap(samples());

    private CodeSamples() {
    }

    /** A post with one fenced block per language. */
    public static String post() {
        StringBuilder post = new StringBuilder("---\ntitle: Every language\n---\n\n");
        BY_LANGUAGE.forEach((language, sample) -> post.append("```").append(language).append('\n').append(sample[0])
                .append("\n```\n\n"));
        return post.toString();
    }

    private static Map<String, String[]> samples() {
        Map<String, String[]> samples = new LinkedHashMap<>();
        samples.put("java", new String[] {"record Point(int x) {}", "<span class=\"k\">record</span>"});
        samples.put("kotlin", new String[] {"fun main() { val x = 1 }", "<span class=\"k\">fun</span>"});
        samples.put("python", new String[] {"def f(x):\n    return 1  # one", "<span class=\"c1\"># one</span>"});
        samples.put("javascript", new String[] {"const x = `t`;", "<span class=\"k\">const</span>"});
        samples.put("typescript", new String[] {"let x: number = 1;", "<span class=\"kt\">number</span>"});
        samples.put("json", new String[] {"{\"a\": true}", "<span class=\"kc\">true</span>"});
        samples.put("yaml", new String[] {"key: value # note", "<span class=\"c1\"># note</span>"});
        samples.put("shell", new String[] {"echo \"$HOME\"", "<span class=\"nv\">$HOME</span>"});
        samples.put("go", new String[] {"func main() {}", "<span class=\"k\">func</span>"});
        samples.put("rust", new String[] {"fn main() { let x = 1; }", "<span class=\"k\">fn</span>"});
        samples.put("sql", new String[] {"SELECT * FROM t;", "<span class=\"k\">SELECT</span>"});
        samples.put("html", new String[] {"<p class=\"a\">x</p>", "<span class=\"nt\">p</span>"});
        samples.put("xml", new String[] {"<a b=\"c\"/>", "<span class=\"na\">b</span>"});
        samples.put("css", new String[] {"p { color: red; } /* c */", "<span class=\"cm\">/* c */</span>"});
        samples.put("dockerfile", new String[] {"FROM alpine", "<span class=\"k\">FROM</span>"});
        samples.put("c", new String[] {"#include <stdio.h>", "<span class=\"cp\">#include</span>"});
        samples.put("cpp", new String[] {"class A { public: int x; };", "<span class=\"k\">class</span>"});
        samples.put("diff", new String[] {"@@ -1 +1 @@\n-old\n+new", "<span class=\"gi\">+new</span>"});
        return samples;
    }

}
