package io.kubenetlab.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Warnings for the request being served, sent as {@code Warning: 299 - "..."} headers (kubectl prints
 * them as {@code Warning: ...}). Per thread: a request is served on one thread from start to answer.
 */
public final class Warnings {
    private static final ThreadLocal<List<String>> PENDING = ThreadLocal.withInitial(ArrayList::new);

    private Warnings() {}

    public static void add(String warning) {
        if (!PENDING.get().contains(warning)) PENDING.get().add(warning);
    }

    /** The warnings so far, forgotten by this thread. */
    public static List<String> drain() {
        List<String> out = List.copyOf(PENDING.get());
        PENDING.get().clear();
        return out;
    }

    /** The header value: RFC 7234's warn-code 299, no agent, the text quoted. */
    static String header(String warning) {
        return "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
