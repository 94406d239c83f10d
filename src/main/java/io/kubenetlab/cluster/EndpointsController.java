package io.kubenetlab.cluster;

import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.EndpointsManifest;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The endpoints controller, as a pure function: a Service's endpoints are the pods its selector
 * matches (ready ones serve, not-ready ones are listed as such), each Service port resolved to the
 * pod's port, by number or by container port name. Services without a selector take the Endpoints
 * object from the manifests. With {@code publishNotReadyAddresses} every endpoint is ready, and
 * {@code serving} keeps the pod's own readiness (upstream's podToEndpoint). A terminating pod (deleted,
 * its grace period running) stays, not ready, serving as its readiness says, terminating (the v1
 * Endpoints object leaves it out: see {@link #inEndpointsObject}).
 */
public final class EndpointsController {
    /** A pod with what the endpoints controller needs to know of its status. */
    public record PodState(PodRecord pod, boolean ready, boolean finished) {}

    private EndpointsController() {}

    public static List<EndpointRecord> forService(ServiceRecord s, List<PodState> pods) {
        List<EndpointRecord> out = new ArrayList<>();
        if (s.selector() == null) return out;
        for (PodState ps : pods) {
            PodRecord p = ps.pod();
            if (ps.finished() || !p.namespace().equals(s.namespace()) || !matches(s.selector(), p.labels())) continue;
            for (ServicePortSpec sp : s.ports()) {
                int port = resolve(sp, p);
                if (port > 0) {
                    // Upstream's podToEndpoint: a terminating pod is never ready (unless publishNotReadyAddresses),
                    // serving keeps its readiness, and it is listed as terminating.
                    boolean terminating = p.terminating();
                    boolean ready = s.publishNotReadyAddresses() || (ps.ready() && !terminating);
                    out.add(new EndpointRecord(p.ip(), p.node(), p.name(), ready, sp.name(), port, sp.protocol(), ps.ready(), terminating));
                }
            }
        }
        out.sort(Comparator.comparing((EndpointRecord e) -> e.ip()).thenComparing(EndpointRecord::portName));
        return out;
    }

    /**
     * Whether an endpoint belongs in the v1 Endpoints object: upstream's endpoints controller drops
     * terminating pods (ShouldPodBeInEndpoints with includeTerminating = publishNotReadyAddresses),
     * while the EndpointSlice controller keeps them.
     */
    public static boolean inEndpointsObject(EndpointRecord e) {
        return e.podName() == null || !e.terminating() || e.ready();
    }

    /** The pod's port for a Service port: the number itself, or the container port of that name. */
    static int resolve(ServicePortSpec sp, PodRecord p) {
        if (sp.targetPortName() == null) return sp.targetPortNumber();
        for (ContainerRecord c : p.containers()) {
            for (ContainerPort cp : c.ports()) {
                if (sp.targetPortName().equals(cp.name()) && sp.protocol().equals(cp.protocol())) return cp.containerPort();
            }
        }
        return 0; // Kubernetes leaves such a pod out of this port's endpoints
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    public static List<EndpointRecord> fromManifest(EndpointsManifest m) {
        List<EndpointRecord> out = new ArrayList<>();
        for (EndpointsManifest.Subset subset : m.subsets()) {
            for (EndpointsManifest.Port port : subset.ports()) {
                for (EndpointsManifest.Address a : subset.addresses()) {
                    out.add(new EndpointRecord(a.ip(), a.nodeName(), null, true, port.name(), port.port(), port.protocol()));
                }
                for (EndpointsManifest.Address a : subset.notReadyAddresses()) {
                    out.add(new EndpointRecord(a.ip(), a.nodeName(), null, false, port.name(), port.port(), port.protocol()));
                }
            }
        }
        return out;
    }
}
