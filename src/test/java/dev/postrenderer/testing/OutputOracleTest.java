package dev.postrenderer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The oracle itself catches what it is meant to catch, so that a silent oracle cannot pass a bad page. */
class OutputOracleTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"vbscript:x\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x\"></object>",
        "<embed src=\"x\">",
        "<form action=\"https://evil.example\"></form>",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0\">",
        "<meta property=\"og:url\" content=\"javascript:alert(1)\">",
        "<script type=\"application/ld+json\">{\"a\":\"</script>\"}</script>",
        "<script type=\"application/ld+json\">{not json}</script>",
    })
    void catchesEachKindOfViolation(String fragment) {
        assertThat(OutputOracle.violations("<!DOCTYPE html><html><head></head><body>" + fragment + "</body></html>"))
                .isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<a href=\"https://example.org\">x</a>",
        "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\">",
        "<script type=\"application/ld+json\">{\"a\":\"\\u003c/script\\u003e\"}</script>",
        "<meta name=\"description\" content=\"javascript: the good parts\">",
    })
    void passesWhatIsSafe(String fragment) {
        assertThat(OutputOracle.violations("<!DOCTYPE html><html><head></head><body>" + fragment + "</body></html>"))
                .isEmpty();
    }
}
