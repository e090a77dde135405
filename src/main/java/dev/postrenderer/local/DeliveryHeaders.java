package dev.postrenderer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The security headers the site's readers get, read from the response headers policy of
 * {@code template.yaml} ({@code SiteHeadersPolicy}): one definition, which the distribution
 * applies on AWS and {@code dev} applies locally, so that a page that breaks the
 * Content-Security-Policy breaks in {@code dev} first. The build bundles the template into the
 * jar as {@code deploy/template.yaml}.
 */
final class DeliveryHeaders {

    static final String BUNDLED = "/deploy/template.yaml";
    private static final String POLICY = "AWS::CloudFront::ResponseHeadersPolicy";

    private DeliveryHeaders() {
    }

    /** The headers of the bundled template's policy. */
    static Map<String, String> bundled() {
        try (InputStream in = DeliveryHeaders.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the build did not bundle " + BUNDLED);
            }
            return of(SamTemplate.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "the bundled template.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The headers of a template's response headers policy, by name, in the order a browser sees them. */
    static Map<String, String> of(SamTemplate template) {
        List<String> policies = template.resourcesOfType(POLICY);
        if (policies.size() != 1) {
            throw new IllegalStateException("expected one " + POLICY + " in the template, found " + policies);
        }
        Map<String, Object> config = map(template.properties(policies.get(0)).get("ResponseHeadersPolicyConfig"));
        Map<String, Object> security = map(config.get("SecurityHeadersConfig"));
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Object> hsts = map(security.get("StrictTransportSecurity"));
        if (!hsts.isEmpty()) {
            headers.put("Strict-Transport-Security", "max-age=" + hsts.get("AccessControlMaxAgeSec")
                    + (Boolean.TRUE.equals(hsts.get("IncludeSubdomains")) ? "; includeSubDomains" : "")
                    + (Boolean.TRUE.equals(hsts.get("Preload")) ? "; preload" : ""));
        }
        if (security.containsKey("ContentTypeOptions")) {
            headers.put("X-Content-Type-Options", "nosniff");
        }
        Map<String, Object> referrer = map(security.get("ReferrerPolicy"));
        if (!referrer.isEmpty()) {
            headers.put("Referrer-Policy", String.valueOf(referrer.get("ReferrerPolicy")));
        }
        Map<String, Object> frames = map(security.get("FrameOptions"));
        if (!frames.isEmpty()) {
            headers.put("X-Frame-Options", String.valueOf(frames.get("FrameOption")));
        }
        Map<String, Object> csp = map(security.get("ContentSecurityPolicy"));
        if (!csp.isEmpty()) {
            headers.put("Content-Security-Policy", String.valueOf(csp.get("ContentSecurityPolicy")).strip());
        }
        for (Object item : list(map(config.get("CustomHeadersConfig")).get("Items"))) {
            Map<String, Object> header = map(item);
            headers.put(String.valueOf(header.get("Header")), String.valueOf(header.get("Value")));
        }
        return headers;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }
}
