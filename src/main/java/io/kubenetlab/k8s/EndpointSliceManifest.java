package io.kubenetlab.k8s;

import java.util.List;

/**
 * A discovery.k8s.io/v1 EndpointSlice written by hand (or by a controller other than the lab's). The
 * Service it belongs to is its {@code kubernetes.io/service-name} label ({@link #serviceName()}, null when
 * missing: kube-proxy then ignores the slice).
 */
public record EndpointSliceManifest(ObjectMeta metadata, String addressType, List<Port> ports, List<Endpoint> endpoints,
                                    String source) implements KubeObject {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    /** The value the EndpointSlice controller puts in {@link #MANAGED_BY_LABEL} on the slices it derives. */
    public static final String CONTROLLER = "endpointslice-controller.k8s.io";

    /** A port; {@code port} 0 when omitted (upstream: "all ports", which kube-proxy ignores). */
    public record Port(String name, int port, String protocol) {}

    /**
     * One endpoint. The conditions are as written (null = unset); {@link #ready()} and friends apply
     * kube-proxy's reading of unset conditions.
     */
    public record Endpoint(List<String> addresses, Boolean readyCondition, Boolean servingCondition, Boolean terminatingCondition,
                           String nodeName, String zone) {
        // pkg/proxy/endpointslicecache.go: an unset ready or serving counts as true, an unset terminating as false.
        public boolean ready() {
            return readyCondition == null || readyCondition;
        }

        public boolean serving() {
            return servingCondition == null || servingCondition;
        }

        public boolean terminating() {
            return terminatingCondition != null && terminatingCondition;
        }
    }

    @Override
    public String kind() {
        return "EndpointSlice";
    }

    public String serviceName() {
        String s = metadata.labels().get(SERVICE_NAME_LABEL);
        return s == null || s.isEmpty() ? null : s;
    }

    /** Whether the lab's own EndpointSlice controller would own it (the API keeps those read-only). */
    public boolean controllerManaged() {
        return CONTROLLER.equals(metadata.labels().get(MANAGED_BY_LABEL));
    }

    /** Whether kube-proxy in IPv4 mode reads it: IPv6 and FQDN slices are ignored, as upstream's proxier does. */
    public boolean proxied() {
        return serviceName() != null && addressType.equals("IPv4");
    }
}
