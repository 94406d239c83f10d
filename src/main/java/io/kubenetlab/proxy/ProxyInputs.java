package io.kubenetlab.proxy;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.proxy.Endpoint;
import io.kubenetlab.proxy.ServiceEndpoints;
import io.kubenetlab.proxy.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What kube-proxy is told: every port of every proxied Service with its endpoints. Headless and
 * ExternalName Services get no rules, as upstream's ShouldSkipService decides, nor do Services kube-proxy
 * does not watch ({@link ServiceProxyName}).
 */
public final class ProxyInputs {
    private ProxyInputs() {}

    public static List<ServiceEndpoints> of(List<ServiceRecord> services, Map<String, List<EndpointRecord>> endpoints) {
        List<ServiceEndpoints> out = new ArrayList<>();
        for (ServiceRecord s : services) {
            if (s.clusterIP() == null || s.headless()) continue;
            if (ServiceProxyName.ignoredBecause(s.labels()).isPresent()) continue; // not in kube-proxy's informers at all
            boolean externallyAccessibleByType = s.type().equals("NodePort") || s.type().equals("LoadBalancer") || !s.externalIPs().isEmpty();
            for (ServicePortSpec p : s.ports()) {
                ServicePort sp = new ServicePort(s.namespace(), s.name(), p.name(), p.protocol(), Ipv4.parse(s.clusterIP()), p.port(),
                        p.nodePort(), s.externalIPs(), s.loadBalancerIPs(), s.loadBalancerSourceRanges(),
                        s.sessionAffinity().equals("ClientIP") ? s.affinityTimeoutSeconds() : 0,
                        externallyAccessibleByType && "Local".equals(s.externalTrafficPolicy()),
                        "Local".equals(s.internalTrafficPolicy()), s.needsHealthCheck() ? s.healthCheckNodePort() : 0);
                List<Endpoint> eps = new ArrayList<>();
                for (EndpointRecord e : endpoints.getOrDefault(s.key(), List.of())) {
                    if (e.portName().equals(p.name()) && e.protocol().equals(p.protocol())) {
                        eps.add(new Endpoint(e.ip(), e.port(), e.nodeName(), e.ready(), e.serving(), e.terminating()));
                    }
                }
                out.add(new ServiceEndpoints(sp, eps));
            }
        }
        return out;
    }
}
