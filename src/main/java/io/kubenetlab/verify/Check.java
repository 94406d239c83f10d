package io.kubenetlab.verify;

import java.util.List;

/** One line of the report before it runs: what is checked, on which address, from where. */
public record Check(Kind kind, String service, String ip, int port, List<Trial> probes, Dns.Expected dns) {
    public enum Kind {
        CLUSTER_IP("ClusterIP"), NODE_PORT("NodePort"), LOAD_BALANCER("LoadBalancer"), EXTERNAL_IP("ExternalIP"), REACH("Reach"), HAIRPIN("Hairpin"), NO_ENDPOINTS("NoEndpoints"), DNS("DNS");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    public Check {
        if (probes.isEmpty()) throw new IllegalArgumentException("a check has at least one probe");
        if ((kind == Kind.DNS) != (dns != null)) throw new IllegalArgumentException("a DNS check, and only a DNS check, has a DNS expectation");
        probes = List.copyOf(probes);
    }

    public Check(Kind kind, String service, String ip, int port, List<Trial> probes) {
        this(kind, service, ip, port, probes, null);
    }

    /** A DNS line: {@code name} resolved in every probe's pod. */
    public static Check dns(Dns.Expected expected, List<Trial> probes) {
        return new Check(Kind.DNS, expected.name(), null, 0, probes, expected);
    }

    /** "10.3.241.152:80"; for a DNS line what the name should resolve to: "-> 10.0.1.2, 10.0.2.2". */
    public String target() {
        if (dns != null) return "-> " + dns.describe();
        return ip + ":" + port;
    }

    /** Where the requests come from: the one source, or "2 nodes, 3 pods". */
    public String from() {
        if (probes.size() == 1) return probes.get(0).source();
        List<String> parts = new java.util.ArrayList<>();
        for (Trial.SourceKind k : Trial.SourceKind.values()) {
            long c = probes.stream().filter(p -> p.sourceKind() == k).count();
            if (c > 0) parts.add(c + " " + k.name().toLowerCase() + (c == 1 ? "" : "s"));
        }
        return String.join(", ", parts);
    }
}
