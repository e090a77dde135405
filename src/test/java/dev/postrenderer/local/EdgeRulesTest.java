package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** dev's edge rules give every outcome of the table the site's CloudFront function is tested against too. */
class EdgeRulesTest {

    static final Path CASES = Path.of("src/test/resources/edge/cases.tsv");

    static Stream<Arguments> cases() throws IOException {
        return Files.readAllLines(CASES, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("uri\t"))
                .map(line -> line.split("\t", -1))
                .map(fields -> Arguments.of(fields[0], fields[1], fields[2]));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cases")
    void eachRequestGetsTheOutcomeOfTheTable(String uri, String query, String expected) {
        EdgeRules.Outcome outcome = EdgeRules.apply(uri, query);
        String actual = outcome instanceof EdgeRules.Outcome.Origin origin ? "origin " + origin.uri()
                : outcome instanceof EdgeRules.Outcome.Redirect redirect ? "redirect " + redirect.location()
                : "notfound";
        assertThat(actual).isEqualTo(expected);
    }
}
