package dev.postrenderer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nu.validator.client.EmbeddedValidator;

/** The Nu HTML Checker (the W3C validator's engine), run in process on one document. */
public final class NuChecker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NuChecker() {
    }

    /** The checker's errors and warnings for a document, one line each. */
    public static List<String> problems(String html) {
        return messages(html, true);
    }

    /** The checker's errors alone. */
    public static List<String> errors(String html) {
        return messages(html, false);
    }

    private static List<String> messages(String html, boolean warnings) {
        try {
            EmbeddedValidator validator = new EmbeddedValidator();
            validator.setOutputFormat(EmbeddedValidator.OutputFormat.JSON);
            String report = validator.validate(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
            List<String> problems = new ArrayList<>();
            for (JsonNode message : JSON.readTree(report).path("messages")) {
                String type = message.path("type").asText();
                boolean warning = type.equals("info") && message.path("subType").asText().equals("warning");
                if (!type.equals("info") || (warnings && warning)) {
                    problems.add(type + (warning ? " (warning)" : "") + " line " + message.path("lastLine").asInt()
                            + ": " + message.path("message").asText() + " [" + message.path("extract").asText() + "]");
                }
            }
            return problems;
        } catch (Exception e) {
            throw new IllegalStateException("the validator failed", e);
        }
    }
}
