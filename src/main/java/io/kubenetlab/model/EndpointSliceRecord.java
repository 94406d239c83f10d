package io.kubenetlab.model;

import java.util.List;

/**
 * A user's EndpointSlice as kube-proxy sees it: its Service (the {@code kubernetes.io/service-name}
 * label, null when missing), its address type and its endpoints flattened per port (the first address of
 * each endpoint, as kube-proxy uses). The object itself is kept in {@link LabState#manifests}; {@code createdAt}
 * is its creation time (an instant, as text).
 */
public record EndpointSliceRecord(String namespace, String name, String serviceName, String addressType, List<EndpointRecord> endpoints,
                                  String createdAt) {
    public EndpointSliceRecord {
        endpoints = List.copyOf(endpoints);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** Whether kube-proxy (IPv4) reads it for the Service {@code namespace/service}. */
    public boolean feeds(String serviceNamespace, String service) {
        return serviceName != null && addressType.equals("IPv4") && namespace.equals(serviceNamespace) && serviceName.equals(service);
    }
}
