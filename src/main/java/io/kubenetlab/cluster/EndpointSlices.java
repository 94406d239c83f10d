package io.kubenetlab.cluster;

import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.EndpointSliceRecord;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EndpointSlices as kube-proxy reads them (upstream pkg/proxy/endpointslicecache.go): a Service's
 * endpoints are the union of all its slices, per port name and protocol, deduplicated by "ip:port".
 */
public final class EndpointSlices {
    private EndpointSlices() {}

    /**
     * A slice flattened to one record per endpoint and port. Ports without a number are skipped ("Ignoring
     * invalid endpoint port"), and so is every address but the first; IPv6 and FQDN slices carry no endpoints
     * (an IPv4 kube-proxy ignores them). {@code createdAt}: when the slice was created (the planner never reads the clock).
     */
    public static EndpointSliceRecord fromManifest(EndpointSliceManifest m, String createdAt) {
        List<EndpointRecord> out = new ArrayList<>();
        if (m.addressType().equals("IPv4")) {
            for (EndpointSliceManifest.Port p : m.ports()) {
                if (p.port() == 0) continue;
                for (EndpointSliceManifest.Endpoint e : m.endpoints()) {
                    out.add(new EndpointRecord(Ipv4.parse(e.addresses().get(0)), e.nodeName(), null, e.ready(), p.name(), p.port(),
                            p.protocol(), e.serving(), e.terminating()));
                }
            }
        }
        return new EndpointSliceRecord(m.metadata().namespace(), m.metadata().name(), m.serviceName(), m.addressType(), out, createdAt);
    }

    /**
     * The Service's endpoints: {@code base} (the endpoints controller's, or the slice mirrored from a manual
     * Endpoints object) first, then every slice that feeds the Service, in name order. A later duplicate of
     * the same port and "ip:port" replaces an earlier one unless it is terminating: upstream prefers a
     * non-terminating endpoint (an IP reused while the old pod terminates) and otherwise takes whichever slice
     * its Go map yields last; name order makes that choice deterministic here.
     */
    public static List<EndpointRecord> merge(String namespace, String service, List<EndpointRecord> base, Collection<EndpointSliceRecord> slices) {
        List<EndpointSliceRecord> mine = slices.stream().filter(s -> s.feeds(namespace, service))
                .sorted(Comparator.comparing(EndpointSliceRecord::name)).toList();
        if (mine.isEmpty()) return base; // no slice of its own: as before, in the order the base had
        Map<String, EndpointRecord> byKey = new LinkedHashMap<>();
        base.forEach(e -> add(byKey, e));
        mine.forEach(s -> s.endpoints().forEach(e -> add(byKey, e)));
        List<EndpointRecord> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing(EndpointRecord::ip).thenComparing(EndpointRecord::portName).thenComparingInt(EndpointRecord::port));
        return out;
    }

    private static void add(Map<String, EndpointRecord> byKey, EndpointRecord e) {
        String key = e.portName() + "/" + e.protocol() + "/" + e.ip() + ":" + e.port();
        if (!byKey.containsKey(key) || !e.terminating()) byKey.put(key, e);
    }
}
