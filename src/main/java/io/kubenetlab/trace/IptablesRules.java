package io.kubenetlab.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A namespace's iptables rules as iptables-save prints them, indexed the way TRACE numbers them (the
 * n-th {@code -A} line of a chain is rule n), with each kube-proxy chain's Kubernetes name: the comment
 * of the rule that jumps to it ({@code "default/service-test cluster IP"}), since upstream's chain
 * names are hashes that cannot be reversed.
 */
public final class IptablesRules {
    private static final Pattern COMMENT = Pattern.compile("--comment (\"[^\"]*\"|\\S+)");
    private static final Pattern TARGET = Pattern.compile(" -[jg] (\\S+)");
    private final Map<String, List<String>> rules = new HashMap<>();
    private final Map<String, String> policies = new HashMap<>();
    private final Map<String, String> labels = new HashMap<>();

    public IptablesRules(String save) {
        String table = "";
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1).strip();
            } else if (line.startsWith(":")) {
                String[] f = line.substring(1).split(" ");
                if (f.length > 1) policies.put(table + ":" + f[0], f[1]);
            } else if (line.startsWith("-A ")) {
                String chain = line.substring(3).split(" ")[0];
                rules.computeIfAbsent(table + ":" + chain, k -> new ArrayList<>()).add(line);
                String target = target(line);
                String comment = comment(line);
                if (target != null && comment != null) labels.putIfAbsent(table + ":" + target, comment);
            }
        }
    }

    /** The rule a TRACE record names ({@code rule:n}), or "" when it is a return or policy record. */
    public String rule(String table, String chain, int number) {
        List<String> list = rules.getOrDefault(table + ":" + chain, List.of());
        return number >= 1 && number <= list.size() ? list.get(number - 1) : "";
    }

    public List<String> chain(String table, String chain) {
        return rules.getOrDefault(table + ":" + chain, List.of());
    }

    /** Whether a chain of that name exists in the table (a jump target, not a builtin target like DNAT). */
    public boolean isChain(String table, String chain) {
        return policies.containsKey(table + ":" + chain);
    }

    public String policy(String table, String chain) {
        return policies.getOrDefault(table + ":" + chain, "");
    }

    /** What the chain is for in Kubernetes' words (the comment of a rule that jumps to it), or null. */
    public String label(String table, String chain) {
        return labels.get(table + ":" + chain);
    }

    /** The rule's target ({@code -j} or {@code -g}), or null. */
    public static String target(String rule) {
        Matcher m = TARGET.matcher(rule);
        return m.find() ? m.group(1) : null;
    }

    /** The rule's comment without its quotes, or null. */
    public static String comment(String rule) {
        Matcher m = COMMENT.matcher(rule);
        return m.find() ? m.group(1).replace("\"", "") : null;
    }

    /** An option's value in a rule ({@code --to-destination}, {@code --probability}), or null. */
    public static String option(String rule, String option) {
        Matcher m = Pattern.compile(" " + Pattern.quote(option) + " (\\S+)").matcher(rule);
        return m.find() ? m.group(1) : null;
    }
}
