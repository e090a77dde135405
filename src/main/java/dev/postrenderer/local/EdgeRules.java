package dev.postrenderer.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The viewer-request rules of the site's CloudFront function ({@code SiteRewriteFunction} in
 * {@code template.yaml}), for {@code dev}: {@code /x/} is {@code /x/index.html}, {@code /} is
 * {@code /index.html}, {@code /x} without an extension is a 301 to {@code /x/}, anything under
 * {@code /_site/} is a 404, and percent-encoded paths pass as they came. {@code EdgeRulesTest}
 * and the Node test of the function check both against one table of cases.
 */
final class EdgeRules {

    /** What the edge does with a request. */
    sealed interface Outcome {
        /** Fetch this key path (still percent-encoded) from the bucket. */
        record Origin(String uri) implements Outcome {
        }

        /** Answer 301 with this {@code Location}. */
        record Redirect(String location) implements Outcome {
        }

        /** Answer 404 without looking at the bucket. */
        record NotFound() implements Outcome {
        }
    }

    private EdgeRules() {
    }

    /**
     * Applies the rules.
     *
     * @param uri   the request's path, percent-encoded as received
     * @param query the query string without {@code ?}, or empty
     */
    static Outcome apply(String uri, String query) {
        Objects.requireNonNull(uri, "uri == null");
        String decoded = decode(uri);
        if (decoded.equals("/_site") || decoded.startsWith("/_site/")) {
            return new Outcome.NotFound();
        }
        if (uri.endsWith("/")) {
            return new Outcome.Origin(uri + "index.html");
        }
        String last = uri.substring(uri.lastIndexOf('/') + 1);
        if (!last.contains(".")) {
            return new Outcome.Redirect(uri + "/" + (query == null || query.isEmpty() ? "" : "?" + query));
        }
        return new Outcome.Origin(uri);
    }

    /** The path decoded as S3 decodes it; a malformed escape stays as it is, as S3 would refuse it anyway. */
    static String decode(String uri) {
        try {
            return URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }
}
