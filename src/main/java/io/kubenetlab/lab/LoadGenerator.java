package io.kubenetlab.lab;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * A small fluent load generator: {@code lab.requests().from("client").to("checkout", 80).times(300).byPod()}.
 * It sends real TCP connections from a pod, node, outside host or the router, one after the other:
 * one {@code sh -c} loop inside the source, each request the article's
 * {@code printf 'GET / HTTP/1.1\r\n\r\n' | nc -N -w 2 HOST PORT}. The target's name and port reach
 * the loop as positional parameters, never spliced into the script. Every request is accounted for:
 * answered ones are tallied by the pod that answered, the others counted as failures with nc's reason.
 *
 * <p>Who answered: the pod named in the answer's {@code Hello from <pod>} (the article's servers
 * say so); for other servers, the answer's first non-empty line.
 */
public final class LoadGenerator {
    /** nc's connect and idle timeout, seconds. */
    public static final int TIMEOUT_SECONDS = 2;
    static final String MARK = "@@knl-request ";
    /** The loop: $1 host, $2 port, $3 count; a marker line with nc's exit code before each answer. */
    static final String SCRIPT = "i=0; while [ \"$i\" -lt \"$3\" ]; do i=$((i+1)); "
            + "r=$(printf 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w " + TIMEOUT_SECONDS + " \"$1\" \"$2\" 2>&1); rc=$?; "
            + "printf '" + MARK + "%s\\n%s\\n' \"$rc\" \"$r\"; done; exit 0";

    /**
     * What a run gave: how many requests were sent, answered and failed; answers by pod; failures by
     * reason (nc's message, or {@code "no answer"} for a connection closed without a word).
     */
    public record Result(int sent, int answered, int failed, Map<String, Integer> byPod, Map<String, Integer> failures) {
        public Result {
            byPod = Collections.unmodifiableMap(new TreeMap<>(byPod));
            failures = Collections.unmodifiableMap(new TreeMap<>(failures));
        }
    }

    private final BiFunction<String, List<String>, String> exec;
    private String from;
    private String host;
    private int port;
    private int times = 1;

    /** {@code exec} runs an argv in a source and returns its stdout. */
    LoadGenerator(BiFunction<String, List<String>, String> exec) {
        this.exec = exec;
    }

    /** Where the connections start: a pod, node or outside host of the lab, or {@code router}. */
    public LoadGenerator from(String source) {
        this.from = source;
        return this;
    }

    /** Where they go: a Service's name (resolved by the source's DNS), an IP address or a host name, and a TCP port. */
    public LoadGenerator to(String serviceOrHost, int port) {
        if (serviceOrHost == null || serviceOrHost.isBlank() || serviceOrHost.startsWith("-")) {
            throw new IllegalArgumentException("not a target: \"" + serviceOrHost + "\"");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("not a TCP port: " + port);
        this.host = serviceOrHost;
        this.port = port;
        return this;
    }

    /** How many requests to send (one at a time); 1 unless set. */
    public LoadGenerator times(int n) {
        if (n < 1) throw new IllegalArgumentException("at least one request: " + n);
        this.times = n;
        return this;
    }

    /** Sends the requests and counts every one: answered by pod, failed by reason. */
    public Result run() {
        if (from == null) throw new IllegalStateException("requests(): say where they start with from(...)");
        if (host == null) throw new IllegalStateException("requests(): say where they go with to(host, port)");
        return parse(exec.apply(from, argv(host, port, times)), times);
    }

    /** Sends the requests and returns the answers by pod; failures are in {@link #run()}'s result. */
    public Map<String, Integer> byPod() {
        return run().byPod();
    }

    /** The argv that sends {@code n} requests to host:port. */
    static List<String> argv(String host, int port, int n) {
        return List.of("sh", "-c", SCRIPT, "sh", host, Integer.toString(port), Integer.toString(n));
    }

    /** Reads the loop's output; requests that printed nothing (the loop was cut short) count as failed. */
    static Result parse(String stdout, int sent) {
        Map<String, Integer> byPod = new TreeMap<>();
        Map<String, Integer> failures = new TreeMap<>();
        List<RequestReplies.Reply> replies = RequestReplies.read(stdout, MARK);
        for (RequestReplies.Reply r : replies) {
            String who = answeredBy(r);
            if (who != null) byPod.merge(who, 1, Integer::sum);
            else failures.merge(r.exit() == 0 ? "no answer" : r.ncReason("nc exit code " + r.exit()), 1, Integer::sum);
        }
        if (replies.size() < sent) failures.merge("not sent", sent - replies.size(), Integer::sum);
        int answered = byPod.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(sent, answered, sent - answered, byPod, failures);
    }

    /**
     * The pod an answer names ({@code Hello from <pod>}); else, if nc ended well, the answer's first
     * non-empty line; else null (a failure).
     */
    static String answeredBy(RequestReplies.Reply r) {
        if (r.helloFrom() != null) return r.helloFrom();
        if (r.exit() != 0) return null;
        return r.text().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(null);
    }
}
