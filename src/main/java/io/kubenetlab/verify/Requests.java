package io.kubenetlab.verify;

import io.kubenetlab.lab.RequestReplies;
import io.kubenetlab.verify.Outcome.Status;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The article's request, in a bounded shell loop run inside one pod or machine, and the reading of
 * what it printed. Each request is {@code echo 'GET / HTTP/1.1\r\n\r\n' | nc -v -N -w 3 IP PORT};
 * its exit code and everything nc printed follow a marker line, so every request is accounted for.
 */
public final class Requests {
    /** nc's connect and idle timeout, seconds. */
    public static final int NC_TIMEOUT_SECONDS = 3;
    /** The loop gives up after this many timed-out requests: a black hole costs at most 15 s. */
    public static final int MAX_TIMEOUTS = 5;
    static final String MARK = "@@knl-verify ";
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Requests() {}

    /** The argv that sends {@code n} requests to ip:port (see {@link #script}). */
    public static List<String> argv(String ip, int port, int n, String stopAtSelf) {
        return List.of("sh", "-c", script(ip, port, n, stopAtSelf));
    }

    /**
     * A POSIX sh loop of at most {@code n} requests. With {@code stopAtSelf} (a hostname) it stops at
     * the first answer from that pod, or at the first answer that names no pod at all (then who
     * answered cannot be told, and more requests would not tell either).
     */
    public static String script(String ip, int port, int n, String stopAtSelf) {
        if (!ip.matches("[0-9.]+")) throw new IllegalArgumentException("not an IPv4 address: " + ip);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("not a port: " + port);
        if (n < 1) throw new IllegalArgumentException("at least one request: " + n);
        if (stopAtSelf != null && !HOSTNAME.matcher(stopAtSelf).matches()) throw new IllegalArgumentException("not a hostname: " + stopAtSelf);
        StringBuilder sb = new StringBuilder();
        sb.append("i=0; t=0; while [ $i -lt ").append(n).append(" ]; do i=$((i+1)); ");
        sb.append("r=$(echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -v -N -w ").append(NC_TIMEOUT_SECONDS).append(' ')
                .append(ip).append(' ').append(port).append(" 2>&1); rc=$?; ");
        sb.append("printf '").append(MARK).append("%s\\n%s\\n' \"$rc\" \"$r\"; ");
        sb.append("case \"$r\" in *'timed out'*) t=$((t+1)); [ $t -ge ").append(MAX_TIMEOUTS).append(" ] && break;; esac; ");
        if (stopAtSelf != null) {
            sb.append("h=$(printf '%s\\n' \"$r\" | grep -o 'Hello from [A-Za-z0-9][A-Za-z0-9._-]*' | head -n 1); ");
            sb.append("[ \"$h\" = 'Hello from ").append(stopAtSelf).append("' ] && break; ");
            sb.append("[ $rc -eq 0 ] && [ -z \"$h\" ] && break; ");
        }
        sb.append("done; exit 0");
        return sb.toString();
    }

    /** One outcome per request, in order, from what {@link #script} printed. */
    public static List<Outcome> parse(String stdout) {
        return RequestReplies.read(stdout, MARK).stream().map(r -> outcome(r.exit(), r.text())).toList();
    }

    /** One request: an answer (named by its "Hello from", if any), a refusal, a timeout, or another failure. */
    static Outcome outcome(int rc, String text) {
        RequestReplies.Reply r = new RequestReplies.Reply(rc, text);
        if (r.helloFrom() != null) return Outcome.answered(r.helloFrom());
        if (rc == 0) return Outcome.answered(null);
        if (text.contains("Connection refused")) return Outcome.refused();
        if (text.contains("timed out")) return Outcome.timedOut();
        return new Outcome(Status.FAILED, null, r.ncReason("exit code " + rc));
    }
}
