package io.kubenetlab.controller;

import io.kubenetlab.k8s.ServiceOptions;
import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Service asks that the lab cannot give, said in the answer (kubectl prints {@code Warning: ...})
 * rather than dropped without a word. The README's known limits list the same.
 */
final class ServiceWarnings {
    private ServiceWarnings() {}

    static List<String> of(ServiceRecord s, Topology t) {
        List<String> out = new ArrayList<>();
        ServiceOptions o = s.options();
        if (o.trafficDistribution() != null) {
            out.add("spec.trafficDistribution: " + o.trafficDistribution() + " is kept but not modelled: the lab's kube-proxy spreads"
                    + " traffic over every endpoint, as without topology hints");
        }
        boolean lb = s.type().equals("LoadBalancer");
        boolean ours = lb && t.loadBalancer() != null && o.loadBalancerClass() == null;
        if (ours && o.loadBalancerIP() != null && !s.loadBalancerIPs().contains(io.kubenetlab.net.Ipv4.parse(o.loadBalancerIP()))) {
            Topology.LoadBalancerSpec spec = t.loadBalancer();
            out.add("spec.loadBalancerIP: " + o.loadBalancerIP() + " is not free in the lab load balancer's pool " + spec.poolFirst() + "-"
                    + spec.poolLast() + ": the Service stays <pending>");
        }
        if (lb && o.loadBalancerIP() != null && t.loadBalancer() == null) {
            out.add("spec.loadBalancerIP: this lab has no load balancer (no loadBalancer: section): the Service stays <pending>");
        }
        if (ours && s.ports().stream().anyMatch(p -> p.nodePort() == 0)) {
            out.add("spec.allocateLoadBalancerNodePorts: false: the lab's load balancer forwards to node ports, so ports without one ("
                    + String.join(", ", s.ports().stream().filter(p -> p.nodePort() == 0).map(ServicePortSpec::port).map(String::valueOf).toList())
                    + ") are not served from outside; kube-proxy still captures the EXTERNAL-IP inside the cluster");
        }
        return out;
    }
}
