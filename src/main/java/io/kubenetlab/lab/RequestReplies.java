package io.kubenetlab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a shell loop of the article's requests printed, read back: each request's nc exit code follows a
 * marker line, its output follows that, so every request is accounted for. Shared by the load generator
 * ({@code Lab.requests()}) and {@code verify}, whose loops differ (what they stop at) but print alike.
 */
public final class RequestReplies {
    private static final Pattern HELLO = Pattern.compile("Hello from ([A-Za-z0-9][A-Za-z0-9._-]*)");

    /** One request: nc's exit code (-1 when unreadable) and everything it printed. */
    public record Reply(int exit, String text) {
        /** The pod the answer names ({@code Hello from <pod>}), or null. */
        public String helloFrom() {
            Matcher m = HELLO.matcher(text);
            return m.find() ? m.group(1) : null;
        }

        /** nc's last words without its name ({@code connect to ... failed: Connection refused}), or {@code otherwise}. */
        public String ncReason(String otherwise) {
            String last = text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse(otherwise);
            return last.replaceFirst("^nc(\\.openbsd)?: ", "");
        }
    }

    private RequestReplies() {}

    /** The replies, in order, from output whose requests each begin with a line {@code mark + exit code}. */
    public static List<Reply> read(String stdout, String mark) {
        List<Reply> out = new ArrayList<>();
        Integer rc = null;
        StringBuilder text = new StringBuilder();
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(mark)) {
                if (rc != null) out.add(new Reply(rc, text.toString()));
                rc = exitCode(line.substring(mark.length()).trim());
                text.setLength(0);
            } else if (rc != null) {
                text.append(line).append('\n');
            }
        }
        if (rc != null) out.add(new Reply(rc, text.toString()));
        return out;
    }

    private static int exitCode(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
