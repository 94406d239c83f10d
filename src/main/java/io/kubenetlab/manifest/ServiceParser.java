package io.kubenetlab.manifest;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.k8s.EndpointsManifest;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Services and Endpoints with the API server's validation and defaults, worded like its
 * errors ({@code spec.ports[0].nodePort: Forbidden: ...}). Cluster-wide checks (ranges, collisions)
 * belong to the control plane, when the object is admitted into a lab.
 */
final class ServiceParser {
    static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final int DEFAULT_AFFINITY_SECONDS = 10800;

    private ServiceParser() {}

    static Service parse(ObjectMeta meta, YamlNode spec, String source) {
        return parse(meta, spec, null, source);
    }

    /** {@code status} may be null; only {@code status.loadBalancer.ingress[*].ip} is read (the offline renderer trusts it). */
    static Service parse(ObjectMeta meta, YamlNode spec, YamlNode status, String source) {
        Set<String> allowed = new HashSet<>(Set.of("type", "selector", "clusterIP", "ports", "externalIPs", "sessionAffinity",
                "sessionAffinityConfig", "externalTrafficPolicy", "internalTrafficPolicy", "loadBalancerSourceRanges", "externalName",
                "healthCheckNodePort", "publishNotReadyAddresses"));
        allowed.addAll(ServiceOptionsParser.FIELDS);
        spec.checkFields(allowed);
        String type = spec.optString("type", "ClusterIP");
        if (!TYPES.contains(type)) throw spec.require("type").error(unsupported(type, TYPES));

        Map<String, String> selector = spec.get("selector").map(ManifestLoader::labels).orElse(null);
        if (selector != null && selector.isEmpty()) selector = null;

        String clusterIP = ServiceOptionsParser.clusterIP(spec);
        if (clusterIP != null && !clusterIP.equals(Service.NONE)) {
            try {
                clusterIP = Ipv4.parse(clusterIP).toString();
            } catch (IllegalArgumentException e) {
                throw spec.require("clusterIP").error("Invalid value: \"" + clusterIP + "\": must be a valid IP address, (e.g. 10.9.8.7), or \"None\"");
            }
        }
        if (Service.NONE.equals(clusterIP) && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            throw spec.require("clusterIP").error("Invalid value: \"None\": may not be set to 'None' for " + type + " services");
        }
        String externalName = spec.get("externalName").map(YamlNode::string).orElse(null);
        if (type.equals("ExternalName")) {
            if (externalName == null || externalName.isBlank()) {
                throw spec.errorAt("externalName", "Required value");
            }
            // Upstream's ValidateService: an ExternalName has no virtual IP. An update switching to it has
            // its unchanged clusterIP dropped before this (controller/ServiceUpdateDefaults).
            if (clusterIP != null) throw spec.errorAt("clusterIPs", "Forbidden: may not be set for ExternalName services");
            for (String f : List.of("ipFamilies", "ipFamilyPolicy")) {
                if (spec.get(f).filter(n -> !n.isNull() && !(n.isSequence() && n.items().isEmpty())).isPresent()) {
                    throw spec.require(f).error("Forbidden: may not be set for ExternalName services");
                }
            }
        }

        boolean headless = Service.NONE.equals(clusterIP);
        List<ServicePortSpec> ports = new ArrayList<>();
        List<YamlNode> portNodes = spec.get("ports").map(YamlNode::items).orElse(List.of());
        if (portNodes.isEmpty() && !headless && !type.equals("ExternalName")) {
            throw spec.errorAt("ports", "Required value");
        }
        Set<String> names = new HashSet<>();
        Set<String> portProto = new HashSet<>();
        for (YamlNode p : portNodes) {
            ServicePortSpec port = port(p, type, headless, portNodes.size());
            if (!names.add(port.name())) throw p.require("name").error("Duplicate value: \"" + port.name() + "\"");
            if (!portProto.add(port.port() + "/" + port.protocol())) {
                throw p.error("Duplicate value: " + port.port() + "/" + port.protocol() + " (port and protocol must be unique)");
            }
            ports.add(port);
        }

        List<Ipv4> externalIPs = new ArrayList<>();
        for (YamlNode ip : spec.get("externalIPs").map(YamlNode::items).orElse(List.of())) {
            try {
                externalIPs.add(Ipv4.parse(ip.string()));
            } catch (IllegalArgumentException e) {
                throw ip.error("Invalid value: \"" + ip.string() + "\": must be a valid IP address");
            }
        }

        String affinity = spec.optString("sessionAffinity", "None");
        if (!affinity.equals("None") && !affinity.equals("ClientIP")) {
            throw spec.require("sessionAffinity").error(unsupported(affinity, List.of("ClientIP", "None")));
        }
        int timeout = DEFAULT_AFFINITY_SECONDS;
        YamlNode cfg = spec.get("sessionAffinityConfig").orElse(null);
        if (cfg != null) {
            cfg.checkFields("clientIP");
            YamlNode client = cfg.get("clientIP").orElse(null);
            if (client != null) {
                client.checkFields("timeoutSeconds");
                YamlNode t = client.get("timeoutSeconds").orElse(null);
                if (t != null) {
                    timeout = t.integer();
                    if (timeout <= 0 || timeout > 86400) throw t.error("Invalid value: " + timeout + ": must be greater than 0 and less than 86400");
                }
            }
        }
        // Upstream's SetDefaults_Service runs before validation: with sessionAffinity None the config is
        // cleared, not refused (pkg/apis/core/v1/defaults.go).
        if (!affinity.equals("ClientIP")) timeout = DEFAULT_AFFINITY_SECONDS;

        String etp = null;
        YamlNode etpNode = spec.get("externalTrafficPolicy").orElse(null);
        if (etpNode != null) {
            etp = etpNode.string();
            if (!etp.equals("Cluster") && !etp.equals("Local")) throw etpNode.error(unsupported(etp, List.of("Cluster", "Local")));
            boolean external = type.equals("NodePort") || type.equals("LoadBalancer") || !externalIPs.isEmpty();
            if (!external) throw etpNode.error("Invalid value: \"" + etp + "\": may only be set for externally-accessible services");
        } else if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            etp = "Cluster";
        }
        String itp = spec.optString("internalTrafficPolicy", type.equals("ExternalName") ? null : "Cluster");
        if (itp != null && !itp.equals("Cluster") && !itp.equals("Local")) {
            throw spec.require("internalTrafficPolicy").error(unsupported(itp, List.of("Cluster", "Local")));
        }

        List<Cidr> ranges = new ArrayList<>();
        for (YamlNode r : spec.get("loadBalancerSourceRanges").map(YamlNode::items).orElse(List.of())) {
            try {
                ranges.add(Cidr.parse(r.string().trim()));
            } catch (IllegalArgumentException e) {
                throw r.error("Invalid value: \"" + r.string() + "\": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24");
            }
        }
        if (!ranges.isEmpty() && !type.equals("LoadBalancer")) {
            throw spec.require("loadBalancerSourceRanges").error("Forbidden: may only be used when `type` is 'LoadBalancer'");
        }
        int healthCheckNodePort = healthCheckNodePort(spec, type, etp);
        boolean publishNotReady = spec.get("publishNotReadyAddresses").filter(n -> !n.isNull()).map(YamlNode::bool).orElse(false);
        return new Service(meta, type, selector, clusterIP, ports, externalIPs, affinity, timeout, etp, itp, ranges, externalName, source,
                healthCheckNodePort, ingressIPs(status), publishNotReady, ServiceOptionsParser.parse(spec, type));
    }

    /** Upstream's validateServiceExternalTrafficPolicy: only a LoadBalancer with externalTrafficPolicy Local may name one. */
    private static int healthCheckNodePort(YamlNode spec, String type, String etp) {
        YamlNode node = spec.get("healthCheckNodePort").orElse(null);
        if (node == null) return 0;
        int port = node.integer();
        if (port == 0) return 0;
        if (!type.equals("LoadBalancer") || !"Local".equals(etp)) {
            throw node.error("Invalid value: " + port + ": may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
        }
        if (port < 1 || port > 65535) throw node.error("Invalid value: " + port + ": must be between 1 and 65535, inclusive");
        return port;
    }

    /**
     * status.loadBalancer.ingress[*].ip as upstream's serviceInfo reads them: whatever the type, hostnames
     * skipped, and an {@code ipMode: Proxy} ingress skipped too (such a balancer proxies, nothing to capture).
     */
    private static List<Ipv4> ingressIPs(YamlNode status) {
        if (status == null) return List.of();
        status.checkFields("loadBalancer", "conditions");
        YamlNode lb = status.get("loadBalancer").orElse(null);
        if (lb == null) return List.of();
        lb.checkFields("ingress");
        List<Ipv4> ips = new ArrayList<>();
        for (YamlNode in : lb.get("ingress").map(YamlNode::items).orElse(List.of())) {
            in.checkFields("ip", "hostname", "ipMode", "ports");
            YamlNode ip = in.get("ip").orElse(null);
            String mode = in.optString("ipMode", "VIP");
            if (!mode.equals("VIP") && !mode.equals("Proxy")) throw in.require("ipMode").error(unsupported(mode, List.of("Proxy", "VIP")));
            if (ip == null || ip.string().isEmpty() || mode.equals("Proxy")) continue;
            try {
                ips.add(Ipv4.parse(ip.string()));
            } catch (IllegalArgumentException e) {
                throw ip.error("Invalid value: \"" + ip.string() + "\": must be a valid IP address");
            }
        }
        return ips;
    }

    private static ServicePortSpec port(YamlNode p, String type, boolean headless, int count) {
        p.checkFields("name", "protocol", "port", "targetPort", "nodePort", "appProtocol");
        String name = p.optString("name", "");
        if (name.isEmpty() && count > 1) {
            throw p.errorAt("name", "Required value");
        }
        if (!name.isEmpty() && (name.length() > 63 || !ManifestLoader.DNS_LABEL.matcher(name).matches())) {
            throw p.require("name").error("Invalid value: \"" + name + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'");
        }
        String protocol = p.optString("protocol", "TCP");
        if (!ManifestLoader.PROTOCOLS.contains(protocol)) throw p.require("protocol").error(unsupported(protocol, List.of("SCTP", "TCP", "UDP")));

        YamlNode target = p.get("targetPort").orElse(null);
        int targetNumber = 0;
        String targetName = null;
        if (target != null) {
            String t = target.string();
            if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
                targetNumber = t.length() > 5 ? -1 : Integer.parseInt(t); // a huge number is out of range, not a crash
                if (targetNumber < 1 || targetNumber > 65535) throw target.error("Invalid value: " + t + ": must be between 1 and 65535, inclusive");
            } else {
                if (t.length() > 15 || !ManifestLoader.PORT_NAME.matcher(t).matches() || t.chars().noneMatch(Character::isLetter)) {
                    throw target.error("Invalid value: \"" + t + "\": must be a port number or an IANA_SVC_NAME (a container port's name)");
                }
                targetName = t;
            }
        }
        YamlNode portNode = p.get("port").orElse(null);
        int port;
        if (portNode != null) {
            port = portNode.integer();
            if (port < 1 || port > 65535) throw portNode.error("Invalid value: " + port + ": must be between 1 and 65535, inclusive");
        } else if (headless && targetNumber > 0) {
            // The article's headless Services give only targetPort; Kubernetes would want port too.
            // A headless Service has no virtual port, so the container port stands in for it.
            port = targetNumber;
        } else {
            throw p.errorAt("port", "Required value");
        }
        if (target == null) targetNumber = port; // targetPort defaults to port
        int nodePort = 0;
        YamlNode np = p.get("nodePort").orElse(null);
        if (np != null) {
            nodePort = np.integer();
            if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
                throw np.error("Forbidden: may not be used when `type` is '" + type + "'");
            }
            if (nodePort < 1 || nodePort > 65535) throw np.error("Invalid value: " + nodePort + ": must be between 1 and 65535, inclusive");
        }
        return new ServicePortSpec(name, protocol, port, targetNumber, targetName, nodePort);
    }

    static EndpointsManifest endpoints(ObjectMeta meta, YamlNode subsetsNode, String source) {
        List<EndpointsManifest.Subset> subsets = new ArrayList<>();
        for (YamlNode s : subsetsNode == null ? List.<YamlNode>of() : subsetsNode.items()) {
            s.checkFields("addresses", "notReadyAddresses", "ports");
            List<EndpointsManifest.Address> ready = addresses(s.get("addresses").orElse(null));
            List<EndpointsManifest.Address> notReady = addresses(s.get("notReadyAddresses").orElse(null));
            List<EndpointsManifest.Port> ports = new ArrayList<>();
            List<YamlNode> portNodes = s.get("ports").map(YamlNode::items).orElse(List.of());
            for (YamlNode p : portNodes) {
                p.checkFields("name", "port", "protocol", "appProtocol");
                int port = p.require("port").integer();
                if (port < 1 || port > 65535) throw p.require("port").error("Invalid value: " + port + ": must be between 1 and 65535, inclusive");
                String protocol = p.optString("protocol", "TCP");
                if (!ManifestLoader.PROTOCOLS.contains(protocol)) throw p.require("protocol").error(unsupported(protocol, List.of("SCTP", "TCP", "UDP")));
                String name = p.optString("name", "");
                if (name.isEmpty() && portNodes.size() > 1) throw p.errorAt("name", "Required value");
                ports.add(new EndpointsManifest.Port(name, port, protocol));
            }
            subsets.add(new EndpointsManifest.Subset(ready, notReady, ports));
        }
        return new EndpointsManifest(meta, subsets, source);
    }

    private static List<EndpointsManifest.Address> addresses(YamlNode list) {
        List<EndpointsManifest.Address> out = new ArrayList<>();
        for (YamlNode a : list == null ? List.<YamlNode>of() : list.items()) {
            a.checkFields("ip", "nodeName", "hostname", "targetRef");
            YamlNode ipNode = a.require("ip");
            try {
                out.add(new EndpointsManifest.Address(Ipv4.parse(ipNode.string()), a.get("nodeName").map(YamlNode::string).orElse(null)));
            } catch (IllegalArgumentException e) {
                throw ipNode.error("Invalid value: \"" + ipNode.string() + "\": must be a valid IP address");
            }
        }
        return out;
    }

    static String unsupported(String value, List<String> supported) {
        StringBuilder sb = new StringBuilder("Unsupported value: \"" + value + "\": supported values: ");
        for (int i = 0; i < supported.size(); i++) sb.append(i == 0 ? "" : ", ").append('"').append(supported.get(i)).append('"');
        return sb.toString();
    }

    static Map<String, String> copy(Map<String, String> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }
}
