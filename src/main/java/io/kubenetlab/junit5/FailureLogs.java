package io.kubenetlab.junit5;

import io.kubenetlab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A failing test's lab logs: the controller's log and every pod container's log, copied into
 * {@code target/kubenetlab-logs/<lab>/} (the working directory's {@code target}, else the temp
 * directory) before the lab is destroyed, and published as report entries: the directory and the
 * controller log's last lines.
 */
final class FailureLogs {
    static final int TAIL_LINES = 40;

    private FailureLogs() {}

    static void publish(Lab lab, ExtensionContext context) {
        try {
            Path base = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
            Path dir = base.resolve("kubenetlab-logs").resolve(lab.name()).toAbsolutePath();
            Files.createDirectories(dir);
            String controller = Files.isRegularFile(lab.controllerLog()) ? Files.readString(lab.controllerLog()) : "";
            Files.writeString(dir.resolve("controller.log"), controller);
            for (String pod : lab.pods()) {
                for (String c : lab.containers(pod)) Files.writeString(dir.resolve(pod + "_" + c + ".log"), safeLogs(lab, pod, c));
            }
            context.publishReportEntry("kubenetlab.logs", dir.toString());
            String tail = tail(controller, TAIL_LINES);
            context.publishReportEntry("kubenetlab.controller-log", tail.isBlank() ? "(empty)" : tail);
        } catch (IOException | RuntimeException e) {
            // The test's own failure matters more than its logs.
            context.publishReportEntry("kubenetlab.logs", "could not collect the lab's logs: " + e);
        }
    }

    private static String safeLogs(Lab lab, String pod, String container) {
        try {
            return lab.logs(pod, container);
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }

    /** The last {@code n} lines of a text. */
    static String tail(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
