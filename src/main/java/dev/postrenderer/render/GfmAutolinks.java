package dev.postrenderer.render;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.PostProcessor;

/**
 * GitHub's extended autolinks (GFM spec, "Autolinks (extension)"): {@code www.} and
 * {@code http://}, {@code https://}, {@code ftp://} addresses and email addresses in text become
 * links, with GitHub's rules for where they end: at whitespace or {@code <}; without trailing
 * {@code ?!.,:*_~}; without a trailing {@code )} only while the link has more closing than opening
 * parentheses; without a trailing entity-like {@code &name;}; an email address that ends in
 * {@code -} or {@code _} is no link. Written here because {@code commonmark-ext-autolink} (with
 * {@code org.nibor.autolink} 0.12.0, the newest) stops at an unbalanced parenthesis inside a link,
 * keeps {@code &hl} of {@code &hl;} and links the first part of {@code a@b.c-}. Stateless.
 */
final class GfmAutolinks implements PostProcessor {

    private static final String TRAILING = "?!.,:*_~";
    private static final String[] SCHEMES = {"http://", "https://", "ftp://"};

    @Override
    public Node process(Node document) {
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                // text inside a link is never linked again
            }

            @Override
            public void visit(Text text) {
                link(text);
            }
        });
        return document;
    }

    /** Splits a text node around the autolinks in it. */
    private static void link(Text node) {
        String text = node.getLiteral();
        int done = 0;
        Node last = node;
        int i = 0;
        while (i < text.length()) {
            Match match = findAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            if (match.start() > done) {
                last = insertAfter(last, new Text(text.substring(done, match.start())));
            }
            Link link = new Link(match.destination(), null);
            link.appendChild(new Text(text.substring(match.start(), match.end())));
            last = insertAfter(last, link);
            done = match.end();
            i = match.end();
        }
        if (last == node) {
            return; // nothing linked
        }
        if (done < text.length()) {
            insertAfter(last, new Text(text.substring(done)));
        }
        node.unlink();
    }

    private static Node insertAfter(Node after, Node node) {
        after.insertAfter(node);
        return node;
    }

    /** An autolink over {@code [start, end)} of the text. */
    private record Match(int start, int end, String destination) {
    }

    /** The autolink that starts at {@code i}, or the email address whose {@code @} is at {@code i}. */
    private static Match findAt(String text, int i) {
        char c = text.charAt(i);
        if (c == '@') {
            return email(text, i);
        }
        boolean boundary = i == 0 || Character.isWhitespace(text.charAt(i - 1)) || "*_~(".indexOf(text.charAt(i - 1)) >= 0;
        if (!boundary) {
            return null;
        }
        if (text.startsWith("www.", i)) {
            int end = url(text, i, i, false);
            return end < 0 ? null : new Match(i, end, "http://" + text.substring(i, end));
        }
        for (String scheme : SCHEMES) {
            if (text.regionMatches(true, i, scheme, 0, scheme.length())) {
                int end = url(text, i, i + scheme.length(), true);
                return end < 0 ? null : new Match(i, end, text.substring(i, end));
            }
        }
        return null;
    }

    /** The end of a URL autolink whose domain starts at {@code domain}; -1 if the domain is not valid. */
    private static int url(String text, int start, int domain, boolean shortDomain) {
        int domainEnd = domain;
        while (domainEnd < text.length() && isDomainChar(text.charAt(domainEnd))) {
            domainEnd++;
        }
        // the domain is checked before the rest is scanned, so that text of many near-links stays linear
        if (!validDomain(text.substring(domain, domainEnd), shortDomain)) {
            return -1;
        }
        int end = domainEnd;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '<') {
            end++;
        }
        end = trimmed(text, start, end);
        return end > domain ? end : -1;
    }

    /** Drops what GitHub does not count as part of a link from its end; linear in the link's length. */
    private static int trimmed(String text, int start, int end) {
        int opening = count(text, start, end, '(');
        int closing = count(text, start, end, ')');
        while (end > start) {
            char last = text.charAt(end - 1);
            int cut;
            if (TRAILING.indexOf(last) >= 0) {
                cut = end - 1;
            } else if (last == ';') {
                int name = end - 2;
                while (name > start && Character.isLetterOrDigit(text.charAt(name))) {
                    name--;
                }
                cut = name < end - 2 && text.charAt(name) == '&' ? name : end - 1;
            } else if (last == ')' && closing > opening) {
                cut = end - 1;
            } else {
                break;
            }
            opening -= count(text, cut, end, '(');
            closing -= count(text, cut, end, ')');
            end = cut;
        }
        return end;
    }

    private static Match email(String text, int at) {
        int start = at;
        while (start > 0 && isLocalChar(text.charAt(start - 1))) {
            start--;
        }
        if (start == at) {
            return null;
        }
        int end = at + 1;
        while (end < text.length() && isDomainChar(text.charAt(end))) {
            end++;
        }
        while (end > at + 1 && text.charAt(end - 1) == '.') {
            end--; // a full stop after the address ends the sentence
        }
        String domain = text.substring(at + 1, end);
        if (domain.isEmpty() || domain.indexOf('.') < 0 || domain.startsWith(".")
                || "-_".indexOf(text.charAt(end - 1)) >= 0) {
            return null;
        }
        return new Match(start, end, "mailto:" + text.substring(start, end));
    }

    private static boolean validDomain(String written, boolean shortDomain) {
        int end = written.length();
        while (end > 0 && written.charAt(end - 1) == '.') {
            end--; // a full stop after the domain ends the sentence
        }
        String domain = written.substring(0, end);
        String[] segments = domain.split("\\.", -1);
        if (domain.isEmpty() || (!shortDomain && segments.length < 2)) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return false;
            }
        }
        for (int i = Math.max(0, segments.length - 2); i < segments.length; i++) {
            if (segments[i].indexOf('_') >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDomainChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
    }

    private static boolean isLocalChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '+');
    }

    private static int count(String text, int start, int end, char c) {
        int n = 0;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
