package dev.postrenderer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.local.SamTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CloudFront function of {@code template.yaml}, exactly as deployed, run by Node.js against
 * the table of edge cases ({@code src/test/resources/edge/cases.tsv}) that dev's rules pass too.
 */
class EdgeFunctionTest {

    @Test
    void theTemplatesViewerRequestFunctionPassesEveryCaseUnderNode(@TempDir Path work) throws Exception {
        Object code = SamTemplate.read(Path.of("template.yaml")).properties("SiteRewriteFunction").get("FunctionCode");
        assertThat(code).as("SiteRewriteFunction's inline FunctionCode").isInstanceOf(String.class);
        Path function = Files.writeString(work.resolve("function.js"), (String) code);

        Process node;
        try {
            node = new ProcessBuilder("node", "src/test/node/edge-function.test.mjs", function.toString(),
                    "src/test/resources/edge/cases.tsv").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs Node.js (node on the PATH); .ci/run installs it: " + e.getMessage(), e);
        }
        // read the whole output before waiting, so that a full pipe cannot block the process
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("edge function: \\d+ cases passed");
    }
}
