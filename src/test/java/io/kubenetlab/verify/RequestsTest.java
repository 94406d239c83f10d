package io.kubenetlab.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.verify.Outcome.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestsTest {
    static final String ANSWER = """
            Connection to 10.3.241.152 80 port [tcp/http] succeeded!
            HTTP/1.0 200 OK
            Server: SimpleHTTP/0.6 Python/3.11.2
            Content-type: text/html
            Content-Length: 48

            <p>Hello from service-test-5cf956d6bc-mpxt8</p>""";

    @Test
    void theScriptIsTheArticlesRequestInABoundedLoop() {
        String s = Requests.script("10.3.241.152", 80, 60, null);
        assertThat(s).contains("echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -v -N -w 3 10.3.241.152 80 2>&1")
                .contains("while [ $i -lt 60 ]").contains("[ $t -ge 5 ] && break").doesNotContain("Hello from");
        assertThat(Requests.argv("10.3.241.152", 80, 1, null)).hasSize(3).startsWith("sh", "-c");
        assertThat(Requests.script("10.3.241.152", 80, 30, "pod-a")).contains("[ \"$h\" = 'Hello from pod-a' ] && break");
    }

    @Test
    void theScriptTakesNothingThatCouldEscapeItsQuotes() {
        assertThatThrownBy(() -> Requests.script("10.0.0.1; rm", 80, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requests.script("10.0.0.1", 0, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requests.script("10.0.0.1", 80, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requests.script("10.0.0.1", 80, 1, "a' b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesAnswersRefusalsTimeoutsAndOtherFailuresInOrder() {
        String out = Requests.MARK + "0\n" + ANSWER + "\n"
                + Requests.MARK + "1\nnc.openbsd: connect to 10.3.241.152 port 80 (tcp) failed: Connection refused\n"
                + Requests.MARK + "1\nnc: connect to 10.100.0.2 port 30080 (tcp) timed out: Operation now in progress\n"
                + Requests.MARK + "0\nConnection to 10.3.241.152 80 port [tcp/http] succeeded!\nSSH-2.0-OpenSSH\n"
                + Requests.MARK + "1\nnc.openbsd: connect to 10.3.241.153 port 80 (tcp) failed: Network is unreachable\n"
                + Requests.MARK + "2\n\n";
        List<Outcome> os = Requests.parse(out);
        assertThat(os).containsExactly(Outcome.answered("service-test-5cf956d6bc-mpxt8"), Outcome.refused(), Outcome.timedOut(),
                Outcome.answered(null), Outcome.failed("connect to 10.3.241.153 port 80 (tcp) failed: Network is unreachable"),
                Outcome.failed("exit code 2"));
    }

    @Test
    void nothingPrintedIsNoOutcome() {
        assertThat(Requests.parse("")).isEmpty();
        assertThat(Requests.parse("sh: 1: nc: not found\n")).isEmpty();
    }

    // ---------------------------------------------------------------- the loop itself, with a stand-in nc

    @TempDir
    Path tmp;

    /**
     * Runs the script with dash and a fake nc that plays {@code replies} in turn ("hello NAME",
     * "plain", "refused", "timeout"), and returns the parsed outcomes.
     */
    List<Outcome> runWithFakeNc(String script, String... replies) throws IOException, InterruptedException {
        Files.write(tmp.resolve("replies"), List.of(replies));
        Path nc = tmp.resolve("nc");
        Files.writeString(nc, """
                #!/bin/sh
                cat >/dev/null
                n=$(cat "$FAKE/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$FAKE/count"
                reply=$(sed -n "${n}p" "$FAKE/replies")
                case "$reply" in
                  hello\\ *) echo "Connection to $5 $6 port [tcp/*] succeeded!"; echo 'HTTP/1.0 200 OK'; echo; echo "<p>Hello from ${reply#hello }</p>";;
                  plain) echo "Connection to $5 $6 port [tcp/*] succeeded!"; echo 'OK';;
                  refused) echo "nc: connect to $5 port $6 (tcp) failed: Connection refused" >&2; exit 1;;
                  timeout) echo "nc: connect to $5 port $6 (tcp) timed out: Operation now in progress" >&2; exit 1;;
                  *) echo "nc: no reply $n" >&2; exit 1;;
                esac
                """);
        Files.setPosixFilePermissions(nc, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("PATH", tmp + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("FAKE", tmp.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Output to a file, read once the loop ended: reading a pipe to its end would wait unbounded.
        Path outFile = tmp.resolve("loop.out");
        pb.redirectOutput(outFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the request loop did not end within 10 s");
        }
        String out = Files.readString(outFile);
        assertThat(p.exitValue()).isZero();
        return Requests.parse(out);
    }

    @Test
    void theLoopSendsExactlyNRequests() throws Exception {
        List<Outcome> os = runWithFakeNc(Requests.script("10.3.241.152", 80, 4, null), "hello a", "hello b", "refused", "plain", "hello a");
        assertThat(os).extracting(Outcome::status).containsExactly(Status.ANSWERED, Status.ANSWERED, Status.REFUSED, Status.ANSWERED);
        assertThat(os).extracting(Outcome::backend).containsExactly("a", "b", null, null);
    }

    @Test
    void theLoopGivesUpAfterFiveTimeouts() throws Exception {
        List<Outcome> os = runWithFakeNc(Requests.script("10.3.241.152", 80, 60, null),
                "timeout", "hello a", "timeout", "timeout", "refused", "timeout", "timeout", "hello a", "hello a");
        assertThat(os).hasSize(7);
        assertThat(Tally.of(os).timedOut()).isEqualTo(Requests.MAX_TIMEOUTS);
    }

    @Test
    void theHairpinLoopStopsAtTheFirstAnswerFromItselfNotFromANameItPrefixes() throws Exception {
        List<Outcome> os = runWithFakeNc(Requests.script("10.3.241.152", 80, 30, "pod-a"), "hello pod-b", "hello pod-ab", "refused",
                "hello pod-a", "hello pod-a");
        assertThat(os).extracting(Outcome::backend).containsExactly("pod-b", "pod-ab", null, "pod-a");
    }

    @Test
    void theHairpinLoopStopsAtAnAnswerThatNamesNoPod() throws Exception {
        List<Outcome> os = runWithFakeNc(Requests.script("10.3.241.152", 80, 30, "pod-a"), "refused", "plain", "plain");
        assertThat(os).extracting(Outcome::status).containsExactly(Status.REFUSED, Status.ANSWERED);
    }
}
