package io.kubenetlab.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kubectl's {@code -l/--selector}: comma-separated requirements {@code k=v}, {@code k==v},
 * {@code k!=v}, {@code k}, {@code !k}, {@code k in (a,b)}, {@code k notin (a,b)}; all must hold.
 */
public final class LabelSelector {
    private record Requirement(String key, String op, List<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case "exists" -> v != null;
                case "!exists" -> v == null;
                case "in" -> v != null && values.contains(v);
                case "notin" -> v == null || !values.contains(v);
                default -> throw new IllegalStateException(op);
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public static LabelSelector everything() {
        return new LabelSelector(List.of());
    }

    public static LabelSelector parse(String text) {
        List<Requirement> reqs = new ArrayList<>();
        if (text == null || text.isBlank()) return everything();
        for (String part : splitTopLevel(text)) {
            String s = part.trim();
            if (s.isEmpty()) throw new IllegalArgumentException("unable to parse requirement: empty in selector \"" + text + "\"");
            java.util.regex.Matcher set = java.util.regex.Pattern.compile("([^\\s!=]+)\\s+(in|notin)\\s+\\((.*)\\)").matcher(s);
            if (set.matches()) {
                List<String> vals = new ArrayList<>();
                for (String v : set.group(3).split(",")) vals.add(v.trim());
                reqs.add(new Requirement(set.group(1), set.group(2), vals));
            } else if (s.contains("!=")) {
                String[] kv = s.split("!=", 2);
                reqs.add(new Requirement(kv[0].trim(), "notin", List.of(kv[1].trim())));
            } else if (s.contains("==")) {
                String[] kv = s.split("==", 2);
                reqs.add(new Requirement(kv[0].trim(), "in", List.of(kv[1].trim())));
            } else if (s.contains("=")) {
                String[] kv = s.split("=", 2);
                reqs.add(new Requirement(kv[0].trim(), "in", List.of(kv[1].trim())));
            } else if (s.startsWith("!")) {
                reqs.add(new Requirement(s.substring(1).trim(), "!exists", List.of()));
            } else {
                reqs.add(new Requirement(s, "exists", List.of()));
            }
        }
        for (Requirement r : reqs) {
            if (r.key().isEmpty() || r.key().contains(" ")) throw new IllegalArgumentException("invalid label key in selector \"" + text + "\"");
        }
        return new LabelSelector(reqs);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }
}
