package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.Cli;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code post-renderer invoke} as a user runs it, and the environment a {@code /usr/bin/env} runtime printed. */
final class CliRun {

    private CliRun() {
    }

    /** {@code post-renderer invoke …}. */
    static Cli.Result invoke(List<String> arguments, Map<String, String> hostEnv) throws Exception {
        List<String> command = new ArrayList<>(List.of("invoke"));
        command.addAll(arguments);
        return Cli.run(command, hostEnv);
    }

    /** The {@code NAME=value} lines {@code /usr/bin/env}, run as the function's runtime, printed. */
    static Map<String, String> environment(String output) {
        Map<String, String> env = new TreeMap<>();
        output.lines().filter(line -> line.matches("[A-Za-z_][A-Za-z0-9_]*=.*")).forEach(line -> {
            int equals = line.indexOf('=');
            env.put(line.substring(0, equals), line.substring(equals + 1));
        });
        assertThat(env).as(output).containsKey("AWS_LAMBDA_RUNTIME_API");
        return env;
    }
}
