package io.kubenetlab.lab;

import java.io.PrintStream;

/** Reports the named steps of a lifecycle (kind's status reporter: a line per step, with its time). */
public interface Progress {
    void start(String step);

    void done(String step, long millis);

    void failed(String step, String reason);

    Progress SILENT = new Progress() {
        public void start(String step) {}

        public void done(String step, long millis) {}

        public void failed(String step, String reason) {}
    };

    static Progress to(PrintStream out) {
        return new Progress() {
            public void start(String step) {}

            public void done(String step, long millis) {
                out.printf(" ✓ %-60s %6d ms%n", step, millis);
                out.flush();
            }

            public void failed(String step, String reason) {
                out.printf(" ✗ %s%n   %s%n", step, reason.replace("\n", "\n   "));
                out.flush();
            }
        };
    }
}
