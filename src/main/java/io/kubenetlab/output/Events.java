package io.kubenetlab.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The Events section kubectl describe ends with: type, reason, age ("x3 over 2m"), source, message. */
public final class Events {
    private Events() {}

    public static String describe(List<JsonNode> events) {
        if (events == null || events.isEmpty()) return String.format("%-26s%s%n", "Events:", "<none>");
        List<JsonNode> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(e -> e.path("lastTimestamp").asText("")));
        Instant now = Instant.now();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Type", "Reason", "Age", "From", "Message"));
        rows.add(List.of("----", "------", "----", "----", "-------"));
        for (JsonNode e : sorted) {
            String last = Age.human(Duration.between(Instant.parse(e.path("lastTimestamp").asText()), now));
            int count = e.path("count").asInt(1);
            String age = count > 1 ? last + " (x" + count + " over " + Age.human(Duration.between(Instant.parse(e.path("firstTimestamp").asText()), now)) + ")" : last;
            rows.add(List.of(e.path("type").asText(), e.path("reason").asText(), age, e.path("source").path("component").asText(), e.path("message").asText()));
        }
        int[] w = new int[5];
        for (List<String> r : rows) for (int i = 0; i < 4; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder("Events:\n");
        for (List<String> r : rows) {
            sb.append("  ");
            for (int i = 0; i < 4; i++) sb.append(r.get(i)).append(" ".repeat(w[i] - r.get(i).length() + 2));
            sb.append(r.get(4)).append('\n');
        }
        return sb.toString();
    }
}
