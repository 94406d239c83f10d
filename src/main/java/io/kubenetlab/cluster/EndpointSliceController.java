package io.kubenetlab.cluster;

import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EndpointSlice controller's grouping, as a pure function (upstream pkg/controller/endpointslice's
 * reconciler): endpoints are put in slices by the set of ports they serve, so a named targetPort that
 * resolves to different numbers on different pods gives one slice per port set, never a cross product.
 * The mirroring controller groups a manual Endpoints object's addresses the same way (one slice per subset).
 */
public final class EndpointSliceController {
    /** One port of a slice: the Service port's name and protocol, the endpoints' number. */
    public record SlicePort(String name, int port, String protocol) {}

    /**
     * One derived slice: its name, its ports (in the Service's port order) and one record per address;
     * a record's own port is that of the slice's first port (the slice's ports apply to every address).
     */
    public record DerivedSlice(String name, List<SlicePort> ports, List<EndpointRecord> endpoints) {}

    private EndpointSliceController() {}

    /**
     * The Service's slices. No endpoint: one empty slice (upstream keeps a placeholder). Names are stable:
     * the first port set (in a fixed order) takes the Service's usual slice name, others a name derived
     * from their port set, as generateName would give each slice a suffix of its own.
     */
    public static List<DerivedSlice> slices(ServiceRecord s, List<EndpointRecord> eps) {
        Map<String, List<EndpointRecord>> byAddress = new LinkedHashMap<>();
        for (EndpointRecord e : eps) byAddress.computeIfAbsent(e.ip() + "|" + e.ready() + "|" + e.podName(), k -> new ArrayList<>()).add(e);
        Map<String, List<SlicePort>> portSets = new TreeMap<>();
        Map<String, List<EndpointRecord>> members = new TreeMap<>();
        for (List<EndpointRecord> address : byAddress.values()) {
            List<SlicePort> ports = address.stream().sorted(byServicePortOrder(s))
                    .map(e -> new SlicePort(e.portName(), e.port(), e.protocol())).distinct().toList();
            String key = ports.toString();
            portSets.put(key, ports);
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(address.get(0));
        }
        List<DerivedSlice> out = new ArrayList<>();
        if (portSets.isEmpty()) return List.of(new DerivedSlice(name(s, null), List.of(), List.of()));
        boolean first = true;
        for (var set : portSets.entrySet()) {
            out.add(new DerivedSlice(name(s, first ? null : set.getKey()), set.getValue(), members.get(set.getKey())));
            first = false;
        }
        return out;
    }

    /** {@code <service>-<5 chars>}, the suffix derived from the Service (and the port set of a further slice). */
    static String name(ServiceRecord s, String portSet) {
        // The API server writes the kubernetes Service's slice itself, named as the Service (upstream
        // pkg/controlplane/reconcilers/endpointsadapter.go).
        if (portSet == null && s.selector() == null && KubernetesService.is(s.namespace(), s.name())) return s.name();
        String seed = "endpointslice/" + s.key() + (portSet == null ? "" : "/" + portSet);
        return PodNamer.generate(s.name() + "-", seed);
    }

    /** Upstream lists a slice's ports in the Service's order; ports the Service does not name (manual Endpoints) go last. */
    private static Comparator<EndpointRecord> byServicePortOrder(ServiceRecord s) {
        List<String> order = s.ports().stream().map(p -> p.name() + "/" + p.protocol()).toList();
        return Comparator.comparingInt((EndpointRecord e) -> {
            int i = order.indexOf(e.portName() + "/" + e.protocol());
            return i < 0 ? order.size() : i;
        }).thenComparing(EndpointRecord::portName).thenComparingInt(EndpointRecord::port);
    }
}
