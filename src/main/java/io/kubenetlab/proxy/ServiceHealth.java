package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kube-proxy's service health server knows on one node: a Service with a health check node port
 * and its local ready endpoints, counted by IP (upstream's LocalReadyEndpoints: a pod serving two
 * ports counts once; terminating endpoints do not count, so a draining node fails its health check).
 */
public record ServiceHealth(String namespace, String name, int port, int localEndpoints) {
    /** Every Service with a health check node port as {@code node}'s kube-proxy sees it, in input order. */
    public static List<ServiceHealth> onNode(List<ServiceEndpoints> services, String node) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Set<String>> local = new LinkedHashMap<>();
        for (ServiceEndpoints se : services) {
            ServicePort sp = se.service();
            if (sp.healthCheckNodePort() == 0) continue;
            String key = sp.namespace() + "/" + sp.name();
            ports.putIfAbsent(key, sp.healthCheckNodePort());
            Set<String> ips = local.computeIfAbsent(key, k -> new HashSet<>());
            for (Endpoint e : se.endpoints()) {
                if (e.ready() && node.equals(e.nodeName())) ips.add(e.ip().toString());
            }
        }
        List<ServiceHealth> out = new ArrayList<>();
        ports.forEach((key, port) -> {
            int slash = key.indexOf('/');
            out.add(new ServiceHealth(key.substring(0, slash), key.substring(slash + 1), port, local.get(key).size()));
        });
        return out;
    }
}
