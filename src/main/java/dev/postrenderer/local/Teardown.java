package dev.postrenderer.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Ends one invocation's function process and removes its sandbox, once, whichever comes first: the
 * invocation's end, or a signal stopping this JVM (as a shutdown hook, registered before the
 * sandbox's folder is made) while the sandbox is still being laid out. The set-up's steps hold it while they run, so a stop waits for the step under way
 * and no step begins after it: nothing is unpacked into a folder being removed, and no function
 * process starts after its sandbox has gone.
 */
final class Teardown implements Runnable {

    private Path root;
    private Process process;
    private boolean done;

    /** Makes the sandbox's folder and lays out a deployment package in it. */
    synchronized Sandbox layOut(Path deployed) throws IOException {
        ensureGoing();
        root = Sandbox.newRoot();
        return Sandbox.create(root, deployed);
    }

    /** Starts the function's process, which this stops. */
    synchronized Process start(ProcessBuilder builder) throws IOException {
        ensureGoing();
        process = builder.start();
        return process;
    }

    @Override
    public synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        if (process != null) {
            FunctionProcess.stop(process);
        }
        if (root != null) {
            // the set-up may still be copying the runtime's library into it
            Sandbox.deleteTreeWhenReleased(root);
        }
    }

    private void ensureGoing() throws IOException {
        if (done) {
            throw new IOException("the invocation is being stopped");
        }
    }
}
