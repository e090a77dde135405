package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

    @Test
    void theTaskFolderIsACopyOfThePackageThatTellsWhenItWasWrittenTo(@TempDir Path deployed) throws Exception {
        Files.createDirectories(deployed.resolve("lib"));
        Files.writeString(deployed.resolve("lib/a.jar"), "jar");
        Path root;
        try (Sandbox sandbox = Sandbox.create(deployed)) {
            root = sandbox.task().getParent();
            assertThat(sandbox.task().resolve("lib/a.jar")).hasContent("jar");
            assertThat(sandbox.taskChanges()).isEmpty();
            assertThat(Files.isWritable(sandbox.task().resolve("lib/a.jar")) && !isRoot())
                    .as("read-only, as /var/task is").isFalse();

            // root writes whatever the permissions: the sandbox still tells
            if (isRoot()) {
                Files.writeString(sandbox.task().resolve("lib/b.txt"), "written");
                assertThat(sandbox.taskChanges()).containsExactly("lib/b.txt");
            }
            assertThat(sandbox.tmp()).isDirectory().isWritable();
        }
        assertThat(root).as("removed on close").doesNotExist();
    }

    @Test
    void theRuntimeClientsJniLibraryIsCopiedIntoTheSandboxNotShared(@TempDir Path deployed) throws Exception {
        Path client = Files.list(Path.of("target/tools/runtime"))
                .filter(jar -> jar.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow();
        try (Sandbox one = Sandbox.create(deployed);
             Sandbox two = Sandbox.create(deployed)) {
            Optional<Path> first = one.jniLibrary(client);
            Optional<Path> second = two.jniLibrary(client);

            assertThat(first).isPresent();
            assertThat(first.get()).isNotEqualTo(second.orElseThrow()).isRegularFile();
            assertThat(first.get().startsWith(one.task().getParent())).isTrue();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
