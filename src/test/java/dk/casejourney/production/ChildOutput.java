package dk.casejourney.production;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines a child JVM printed, read on a daemon thread, for the messages of failing assertions. */
final class ChildOutput {

    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread reader;

    private ChildOutput(Process process, int keep, String name) {
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > keep) {
                            lines.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // Killed: its output ends here.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Follows the process's output (started with redirectErrorStream), keeping its last {@code keep} lines. */
    static ChildOutput follow(Process process, int keep, String name) {
        return new ChildOutput(process, keep, name);
    }

    /** Waits until the process's output has ended (it exited), at most this long. */
    void awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
    }

    @Override
    public String toString() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
