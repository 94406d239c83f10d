package io.kubenetlab.dns;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster zone, as a pure function of the Services and their endpoints — what CoreDNS's
 * kubernetes plugin serves (the DNS specification for Services):
 * {@code <svc>.<ns>.svc.<domain>} A is the ClusterIP, or for a headless Service every ready endpoint;
 * a headless Service's endpoints also get {@code <a-b-c-d>.<svc>.<ns>.svc.<domain>}; a named port gets
 * {@code _<port>._<proto>.<svc>.<ns>.svc.<domain>} SRV; an ExternalName Service is a CNAME.
 * Names are lower case and fully qualified (trailing dot).
 */
public final class ClusterDnsRecords {
    private ClusterDnsRecords() {}

    public static Map<String, List<DnsRecord>> zone(String domain, List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints) {
        Map<String, List<DnsRecord>> zone = new TreeMap<>();
        for (ServiceRecord s : services) {
            String name = s.name() + "." + s.namespace() + ".svc." + domain + ".";
            if (s.type().equals("ExternalName")) {
                add(zone, name, new DnsRecord("CNAME", fqdn(s.externalName())));
                continue;
            }
            List<EndpointRecord> ready = endpoints.getOrDefault(s.key(), List.of()).stream().filter(EndpointRecord::ready).toList();
            if (s.headless()) {
                List<String> ips = ready.stream().map(e -> e.ip().toString()).distinct().toList();
                for (String ip : ips) {
                    add(zone, name, new DnsRecord("A", ip));
                    add(zone, ip.replace('.', '-') + "." + name, new DnsRecord("A", ip));
                }
                if (ips.isEmpty()) zone.putIfAbsent(name, new ArrayList<>()); // exists, no address: NOERROR, no answer
            } else {
                add(zone, name, new DnsRecord("A", s.clusterIP()));
            }
            for (ServicePortSpec p : s.ports()) {
                if (p.name().isEmpty()) continue;
                String srv = "_" + p.name() + "._" + p.protocol().toLowerCase() + "." + name;
                if (s.headless()) {
                    for (EndpointRecord e : ready) {
                        if (e.portName().equals(p.name()) && e.protocol().equals(p.protocol())) {
                            add(zone, srv, new DnsRecord("SRV", "0 100 " + e.port() + " " + e.ip().toString().replace('.', '-') + "." + name));
                        }
                    }
                } else {
                    add(zone, srv, new DnsRecord("SRV", "0 100 " + p.port() + " " + name));
                }
            }
        }
        return zone;
    }

    private static void add(Map<String, List<DnsRecord>> zone, String name, DnsRecord r) {
        List<DnsRecord> list = zone.computeIfAbsent(name.toLowerCase(), k -> new ArrayList<>());
        if (!list.contains(r)) list.add(r);
    }

    static String fqdn(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".") ? n : n + ".";
    }
}
