package io.kubenetlab.cli;

import io.kubenetlab.cluster.EndpointSlices;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.model.EndpointSliceRecord;
import io.kubenetlab.proxy.ProxyInputs;
import io.kubenetlab.k8s.EndpointsManifest;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.proxy.ProxyBackend;
import io.kubenetlab.proxy.ProxyBackends;
import io.kubenetlab.proxy.NodeSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rules", description = {
        "Show kube-proxy's rules: a node's live rules in the lab's mode (iptables-save, or nft list ruleset), or with --render",
        "the exact text kube-proxy loads (iptables-restore, or an nft -f transaction): for a node of the lab, or offline from",
        "Service, Endpoints and EndpointSlice manifests (-f, --proxy-mode)."})
final class RulesCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE")
    String node;

    @Option(names = "--render", description = "Print the iptables-restore text kube-proxy writes instead of the live rules.")
    boolean render;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "Offline: Service, Endpoints and EndpointSlice manifests to render.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--node-name", paramLabel = "NAME", defaultValue = "node", description = "Offline: the node's name (default: ${DEFAULT-VALUE}).")
    String nodeName;

    @Option(names = "--node-ip", paramLabel = "IP", defaultValue = "192.168.0.2", description = "Offline: the node's IP (default: ${DEFAULT-VALUE}).")
    String nodeIP;

    @Option(names = "--cluster-cidr", paramLabel = "CIDR", description = "Offline: kube-proxy's --cluster-cidr (none: no masquerade rule for off-cluster traffic).")
    String clusterCidr;

    @Option(names = "--service-cidr", paramLabel = "CIDR",
            description = "Offline: the Service CIDR (nftables mode drops traffic to its unallocated ClusterIPs; none: no such rule).")
    String serviceCidr;

    @Option(names = "--proxy-mode", paramLabel = "MODE", defaultValue = "iptables",
            description = "Offline: kube-proxy's mode, iptables (default) or nftables.")
    String proxyMode;

    @Override
    public Integer call() {
        if (!files.isEmpty()) {
            System.out.print(offline());
            return 0;
        }
        if (node == null) throw new IllegalArgumentException("name a node (kubenetlab rules node1), or render manifests offline with -f FILE");
        Lab lab = labOption.open();
        System.out.print(render ? lab.renderRules(node) : lab.liveRules(node));
        return 0;
    }

    /**
     * Like kube-proxy, the offline renderer trusts the objects it is given: no range checks, no
     * allocation; a Service without a clusterIP has no rules, as upstream skips it. A LoadBalancer's
     * {@code status.loadBalancer.ingress} IPs and its {@code spec.healthCheckNodePort} are taken as written.
     */
    private String offline() {
        List<ServiceRecord> services = new ArrayList<>();
        Map<String, List<EndpointRecord>> endpoints = new TreeMap<>();
        List<EndpointSliceRecord> slices = new ArrayList<>();
        for (KubeObject o : ManifestLoader.load(files)) {
            if (o instanceof Service s) {
                if (s.clusterIP() == null && !s.type().equals("ExternalName")) {
                    System.err.println("note: Service " + s.metadata().key() + " has no spec.clusterIP: kube-proxy writes no rules for it");
                }
                // Taken as given, as kube-proxy does: nothing is allocated; the manifest's status.loadBalancer.ingress
                // lands where a services/status write lands in a lab.
                services.add(ServiceRecord.admitted(s, s.clusterIP(), s.ports(), s.statusIngressIPs(), Instant.EPOCH.toString(),
                        s.healthCheckNodePort()));
            } else if (o instanceof EndpointsManifest e) {
                endpoints.put(e.metadata().key(), EndpointsController.fromManifest(e));
            } else if (o instanceof EndpointSliceManifest sl) {
                if (sl.serviceName() == null) {
                    System.err.println("note: EndpointSlice " + sl.metadata().key() + " has no " + EndpointSliceManifest.SERVICE_NAME_LABEL
                            + " label: kube-proxy ignores it");
                } else if (!sl.addressType().equals("IPv4")) {
                    System.err.println("note: EndpointSlice " + sl.metadata().key() + " has addressType " + sl.addressType()
                            + ": kube-proxy in IPv4 mode ignores it");
                }
                slices.add(EndpointSlices.fromManifest(sl, Instant.EPOCH.toString()));
            } else {
                System.err.println("note: " + o.kind() + " " + o.metadata().name() + " ignored: only Services, Endpoints and EndpointSlices make rules");
            }
        }
        // As upstream: Endpoints reach kube-proxy as mirrored slices, merged with the Service's other slices.
        Map<String, List<EndpointRecord>> merged = new TreeMap<>();
        for (ServiceRecord s : services) {
            merged.put(s.key(), EndpointSlices.merge(s.namespace(), s.name(), endpoints.getOrDefault(s.key(), List.of()), slices));
        }
        Cidr cidr;
        Ipv4 ip;
        services.stream().filter(s -> s.needsHealthCheck() && s.healthCheckNodePort() == 0).forEach(s -> System.err.println(
                "note: Service " + s.key() + " has no spec.healthCheckNodePort: kube-proxy opens no health check port for it"));
        try {
            cidr = clusterCidr == null ? null : Cidr.parse(clusterCidr);
            ip = Ipv4.parse(nodeIP);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cluster-cidr/--node-ip: " + e.getMessage());
        }
        ProxyBackend backend;
        try {
            backend = ProxyBackends.of(proxyMode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--proxy-mode: " + e.getMessage());
        }
        NodeSettings node = NodeSettings.of(nodeName, ip, cidr);
        try {
            if (serviceCidr != null) node = node.withServiceCidr(Cidr.parse(serviceCidr));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--service-cidr: " + e.getMessage());
        }
        return backend.rulesets(ProxyInputs.of(services, merged), node).stream()
                .filter(r -> r.owner().equals("kube-proxy")).findFirst().orElseThrow().text();
    }
}
