package dev.postrenderer.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What priming costs and saves when it runs in an on-demand init rather than before a SnapStart
 * snapshot, for {@code bench/run.sh priming}: {@code java ... PrimingCost EVENT prime|cold} builds
 * the handler from the environment as Lambda does, primes it or not, handles the event once, and
 * prints {@code PRIMING init_ms first_request_ms} after the function's log (init includes priming).
 */
public final class PrimingCost {

    private PrimingCost() {
    }

    public static void main(String[] args) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        boolean prime = args[1].equals("prime");
        long started = System.nanoTime();
        PublishHandler handler = new PublishHandler();
        if (prime && !handler.priming().prime()) {
            throw new IllegalStateException("priming failed; see the warning above");
        }
        long initialised = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
        long handled = System.nanoTime();
        // the JVM's own start-up comes before main: it belongs to init as well
        long jvmStart = ManagementFactory.getRuntimeMXBean().getUptime() - (handled - started) / 1_000_000;
        System.out.printf("PRIMING %d %d%n", jvmStart + (initialised - started) / 1_000_000, (handled - initialised) / 1_000_000);
    }
}
