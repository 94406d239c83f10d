package io.kubenetlab.proxy;

import java.util.Map;
import java.util.Optional;

/**
 * The Services kube-proxy leaves alone because of their labels. Upstream's kube-proxy never sees them:
 * {@code cmd/kube-proxy/app/server.go} ({@code ProxyServer.Run}) builds its Service and EndpointSlice
 * informers with the label selector
 * <pre>
 * noProxyName, err := labels.NewRequirement(apis.LabelServiceProxyName, selection.DoesNotExist, nil)
 * noHeadlessEndpoints, err := labels.NewRequirement(v1.IsHeadlessService, selection.DoesNotExist, nil)
 * labelSelector = labelSelector.Add(*noProxyName, *noHeadlessEndpoints)
 * </pre>
 * ({@code pkg/proxy/apis/well_known_labels.go}, {@code k8s.io/api/core/v1/well_known_labels.go}). A label
 * added later reads to kube-proxy as the Service being deleted, so its rules go; removing it brings them back.
 */
public final class ServiceProxyName {
    /** apis.LabelServiceProxyName: another service proxy (any value) owns the Service. */
    public static final String LABEL = "service.kubernetes.io/service-proxy-name";
    /** v1.IsHeadlessService: set by the endpoints controllers on a headless Service's endpoints. */
    public static final String HEADLESS = "service.kubernetes.io/headless";

    private ServiceProxyName() {}

    /** Why kube-proxy ignores an object with these labels ("labelled ... "), or empty when it proxies it. */
    public static Optional<String> ignoredBecause(Map<String, String> labels) {
        if (labels == null) return Optional.empty();
        if (labels.containsKey(LABEL)) return Optional.of("labelled " + LABEL + "=" + labels.get(LABEL) + ", another service proxy owns it");
        if (labels.containsKey(HEADLESS)) return Optional.of("labelled " + HEADLESS + ", kube-proxy does not proxy it");
        return Optional.empty();
    }
}
