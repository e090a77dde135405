package dev.postrenderer.render;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fenced code block's info string asks for, read the way Hugo and Shiki read it:
 * {@code java {1,3-5} linenos title="Main.java"}. The first word is the language; then, in any
 * order, {@code {…}} lists the lines to highlight (numbers and ranges, from 1), {@code linenos}
 * turns line numbers on, {@code title="…"} gives the block a caption. Anything else is a problem
 * to report and is otherwise ignored.
 *
 * @param language    the language as written, lower case; empty when the info string names none
 * @param highlighted the lines to highlight, numbered from 1
 * @param lineNumbers true if the block shows line numbers
 * @param title       the caption
 * @param problems    what could not be understood, one sentence each
 */
record CodeFence(Optional<String> language, BitSet highlighted, boolean lineNumbers, Optional<String> title,
                 List<String> problems) {

    /** More than any post's block has lines: a range past it is a typo, and a BitSet that large is memory. */
    static final int MAX_LINE = 100_000;

    private static final Pattern OPTION = Pattern.compile(
            "\\{([^}]*)}|title=\"([^\"]*)\"|title='([^']*)'|(\\S+)");

    CodeFence {
        highlighted = (BitSet) highlighted.clone();
        problems = List.copyOf(problems);
    }

    /** The options of an info string; never fails. */
    static CodeFence parse(String info) {
        String text = info.strip();
        int space = firstSpaceOrBrace(text);
        String first = text.substring(0, space);
        Optional<String> language = first.isEmpty() ? Optional.empty()
                : Optional.of(first.toLowerCase(Locale.ROOT));
        BitSet lines = new BitSet();
        boolean numbers = false;
        Optional<String> title = Optional.empty();
        List<String> problems = new ArrayList<>();
        Matcher options = OPTION.matcher(text.substring(space));
        while (options.find()) {
            if (options.group(1) != null) {
                lines(options.group(1), lines, problems);
            } else if (options.group(2) != null || options.group(3) != null) {
                title = Optional.of(options.group(2) != null ? options.group(2) : options.group(3));
            } else if (options.group(4).equals("linenos") || options.group(4).equals("linenos=true")) {
                numbers = true;
            } else {
                problems.add("unknown code block option '" + options.group(4) + "' (known: {1,3-5}, linenos,"
                        + " title=\"…\")");
            }
        }
        return new CodeFence(language, lines, numbers, title, problems);
    }

    private static int firstSpaceOrBrace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == '{') {
                return i;
            }
        }
        return text.length();
    }

    private static void lines(String list, BitSet lines, List<String> problems) {
        for (String item : list.split(",")) {
            String range = item.strip();
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            try {
                int from = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).strip());
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).strip());
                if (from < 1 || to < from || to > MAX_LINE) {
                    problems.add("line range '" + range + "' is not lines 1 to " + MAX_LINE + ", first to last");
                } else {
                    lines.set(from, to + 1);
                }
            } catch (NumberFormatException e) {
                problems.add("line range '" + range + "' is not a number or a range such as 3-5");
            }
        }
    }
}
