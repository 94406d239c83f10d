package io.kubenetlab.trace;

import java.util.List;

/**
 * One traced connection, hop by hop: what was asked, the request as sent, each machine it crossed
 * (the rules it met there in Kubernetes' words and as data, the NAT conntrack recorded, the route that
 * carried it on), what answered, and how the reply found its way back. {@code -o json} prints this record.
 */
public record TraceReport(String lab, String from, String to, String proxyMode, Tuple request, List<Hop> hops, String verdict,
                          String answer, List<String> reply) {
    public TraceReport {
        hops = List.copyOf(hops);
        reply = List.copyOf(reply);
    }

    /**
     * One machine on the way ({@code kind}: pod, node, router, host, load-balancer): the packet as it
     * arrived, the words for the rules it met ({@code rules} keeps every hit with its rule text), the NAT
     * conntrack recorded, and how it left ({@code route}), or what received it ({@code delivered}).
     */
    public record Hop(String machine, String kind, Tuple arrived, String backend, List<String> words, List<RuleHit> rules,
                      String nat, String route, String delivered) {
        public Hop {
            words = List.copyOf(words);
            rules = List.copyOf(rules);
        }
    }

    /** The text `kubenetlab trace` prints: one block per hop. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("trace ").append(from).append(" -> ").append(to).append(": ").append(request)
                .append(" (kube-proxy mode ").append(proxyMode).append(")\n\n");
        int width = hops.stream().mapToInt(h -> h.machine().length()).max().orElse(4);
        for (Hop h : hops) {
            String name = pad(h.machine(), width);
            String indent = " ".repeat(width + 2);
            if (h.kind().equals("pod") && h.route() != null) {
                sb.append(name).append("  (pod, ").append(h.arrived().src()).append(")  ").append(h.route()).append('\n');
                continue;
            }
            if (!h.words().isEmpty()) {
                sb.append(name).append("  netfilter (").append(h.backend()).append(")\n");
                for (String w : h.words()) sb.append(indent).append(w).append('\n');
                name = indent.substring(2);
            }
            if (!h.nat().isEmpty()) {
                sb.append(name).append("  conntrack: ").append(h.nat()).append('\n');
                name = indent.substring(2);
            }
            if (h.route() != null) sb.append(name).append("  route ").append(h.route()).append('\n');
            if (h.delivered() != null) sb.append(name).append("  ").append(h.delivered()).append('\n');
        }
        sb.append('\n').append(verdict).append('\n');
        if (answer != null && !answer.isBlank()) sb.append("answered: ").append(answer).append('\n');
        for (String r : reply) sb.append("reply: ").append(r).append('\n');
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
