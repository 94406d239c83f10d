package io.kubenetlab.topology;

import io.kubenetlab.cni.CniPlugins;
import io.kubenetlab.proxy.ProxyBackends;

import io.kubenetlab.model.Topology;
import io.kubenetlab.model.Defaults;
import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.Topology.HostSpec;
import io.kubenetlab.model.Topology.Network;
import io.kubenetlab.model.Topology.NodeSpec;
import io.kubenetlab.model.Topology.PortRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates a lab file. Everything is checked here, before anything touches the kernel;
 * each error names the file, the field and the reason. Defaults live in {@link Defaults}.
 */
public final class TopologyLoader {
    /** Lab names end up in namespace names and state paths: keep them short DNS labels. */
    static final Pattern LAB_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    /** Node and host names are DNS-1123 labels, like Kubernetes node names in practice. */
    static final Pattern MACHINE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Linux interface names: at most 15 bytes, no '/', ':' or whitespace. */
    static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private TopologyLoader() {}

    public static Topology load(Path file) {
        List<YamlNode> docs = YamlNode.loadAll(file);
        if (docs.size() != 1) {
            throw new ConfigException(file.toString(), null, "a lab file holds exactly one YAML document, found " + docs.size());
        }
        return parse(docs.get(0), file.toAbsolutePath().normalize());
    }

    /** An optional field that names one of {@code known}. */
    private static String choice(YamlNode root, String field, String fallback, java.util.Collection<String> known, String what) {
        YamlNode node = root.get(field).orElse(null);
        if (node == null) return fallback;
        String value = node.string();
        if (!known.contains(value)) {
            throw node.error("unknown " + what + " \"" + value + "\" (known: " + String.join(", ", known) + ")");
        }
        return value;
    }

    static Topology parse(YamlNode root, Path file) {
        root.checkFields("name", "runtime", "cni", "proxyMode", "nodeNetwork", "clusterCIDR", "podCIDRSize", "serviceCIDR",
                "nodePortRange", "bridge", "nodes", "networks", "hosts", "loadBalancer", "manifests", "images");

        YamlNode nameNode = root.require("name");
        String name = nameNode.string();
        if (!LAB_NAME.matcher(name).matches()) {
            throw nameNode.error("\"" + name + "\" is not a valid lab name: lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 40 characters");
        }

        YamlNode runtimeNode = root.get("runtime").orElse(null);
        String runtime = runtimeNode == null ? Defaults.RUNTIME : runtimeNode.string();
        if (!Defaults.RUNTIMES.contains(runtime)) {
            throw runtimeNode.error("unknown runtime \"" + runtime + "\" (known: " + String.join(", ", Defaults.RUNTIMES) + ")");
        }
        String cni = choice(root, "cni", Defaults.CNI, CniPlugins.names(), "network plugin");
        String proxyMode = choice(root, "proxyMode", Defaults.PROXY_MODE, ProxyBackends.modes(), "kube-proxy mode");

        YamlNode nn = root.require("nodeNetwork").checkFields("cidr", "gateway");
        Cidr nodeCidr = cidr(nn.require("cidr"));
        Ipv4 gateway = hostAddress(nn.require("gateway"), nodeCidr);
        Network nodeNetwork = new Network(Topology.NODE_NETWORK, nodeCidr, gateway);

        Cidr clusterCidr = root.get("clusterCIDR").map(TopologyLoader::cidr).orElse(Cidr.parse(Defaults.CLUSTER_CIDR));
        YamlNode sizeNode = root.get("podCIDRSize").orElse(null);
        int podCidrSize = sizeNode == null ? Defaults.POD_CIDR_SIZE : sizeNode.integer();
        if (podCidrSize < clusterCidr.prefix() || podCidrSize > 29) {
            if (sizeNode == null) {
                throw root.require("clusterCIDR").error(clusterCidr + " is smaller than one default /" + podCidrSize
                        + " podCIDR: set podCIDRSize, or use a larger clusterCIDR");
            }
            throw sizeNode.error("must be between the cluster CIDR's prefix length (" + clusterCidr.prefix() + ") and 29");
        }
        YamlNode svcNode = root.get("serviceCIDR").orElse(null);
        Cidr serviceCidr = svcNode == null ? Cidr.parse(Defaults.SERVICE_CIDR) : cidr(svcNode);
        PortRange ports = root.get("nodePortRange").map(TopologyLoader::portRange)
                .orElse(new PortRange(Defaults.NODE_PORT_FIRST, Defaults.NODE_PORT_LAST));

        YamlNode bridgeNode = root.get("bridge").orElse(null);
        String bridge = bridgeNode == null ? Defaults.BRIDGE : bridgeNode.string();
        if (!IFNAME.matcher(bridge).matches() || bridge.equals("eth0") || bridge.equals("lo")) {
            throw bridgeNode.error("\"" + bridge + "\" is not a usable interface name (at most 15 characters of "
                    + "letters, digits, '_', '.', '-'; not eth0 or lo)");
        }

        checkDisjoint(root, "nodeNetwork.cidr", nodeCidr, "clusterCIDR", clusterCidr);
        checkDisjoint(root, "nodeNetwork.cidr", nodeCidr, "serviceCIDR", serviceCidr);

        List<Network> networks = new ArrayList<>();
        for (YamlNode n : root.get("networks").map(YamlNode::items).orElse(List.of())) {
            n.checkFields("name", "cidr", "gateway");
            String netName = machineName(n.require("name"));
            Cidr c = cidr(n.require("cidr"));
            networks.add(new Network(netName, c, hostAddress(n.require("gateway"), c)));
            for (Network other : allNetworks(nodeNetwork, networks)) {
                if (other != networks.get(networks.size() - 1) && other.cidr().overlaps(c)) {
                    throw n.require("cidr").error(c + " overlaps network \"" + other.name() + "\" (" + other.cidr() + ")");
                }
            }
            if (c.overlaps(clusterCidr)) throw n.require("cidr").error(c + " overlaps clusterCIDR " + clusterCidr);
            if (c.overlaps(serviceCidr)) throw n.require("cidr").error(c + " overlaps serviceCIDR " + serviceCidr);
        }
        unique(networks, Network::name, root.get("networks").orElse(null), "network",
                List.of(Topology.NODE_NETWORK));

        List<NodeSpec> nodes = parseNodes(root.require("nodes"), nodeNetwork, clusterCidr, podCidrSize, serviceCidr);

        List<HostSpec> hosts = new ArrayList<>();
        for (YamlNode h : root.get("hosts").map(YamlNode::items).orElse(List.of())) {
            h.checkFields("name", "address", "network", "command", "image", "ports");
            String hostName = machineName(h.require("name"));
            String netName = h.optString("network", Topology.NODE_NETWORK);
            Network net = allNetworks(nodeNetwork, networks).stream().filter(x -> x.name().equals(netName)).findFirst()
                    .orElseThrow(() -> h.require("network").error("unknown network \"" + netName + "\""));
            Ipv4 addr = hostAddress(h.require("address"), net.cidr());
            List<String> command = h.get("command").map(YamlNode::strings).orElse(List.of());
            List<Integer> hostPorts = new ArrayList<>();
            for (YamlNode port : h.get("ports").map(YamlNode::items).orElse(List.of())) {
                int n = port.integer();
                if (n < 1 || n > 65535) throw port.error("must be between 1 and 65535, inclusive");
                hostPorts.add(n);
            }
            String image = h.get("image").map(YamlNode::string).orElse(null);
            if (!hostPorts.isEmpty() && command.isEmpty() && image == null) {
                throw h.require("ports").error("ports need a command (or an image) that listens on them");
            }
            hosts.add(new HostSpec(hostName, addr, netName, command, List.copyOf(hostPorts), image));
        }

        // Names share one namespace (exec targets, netns names); addresses one address plan.
        Map<String, YamlNode> names = new HashMap<>();
        Map<String, String> addresses = new HashMap<>();
        for (Network n : allNetworks(nodeNetwork, networks)) addresses.put(n.gateway().toString(), "the gateway of network \"" + n.name() + "\"");
        List<YamlNode> nodeItems = root.require("nodes").items();
        for (int i = 0; i < nodes.size(); i++) {
            claim(names, nodes.get(i).name(), nodeItems.get(i).require("name"));
            claimAddress(addresses, nodes.get(i).address(), "node \"" + nodes.get(i).name() + "\"", nodeItems.get(i).require("address"));
        }
        List<YamlNode> hostItems = root.get("hosts").map(YamlNode::items).orElse(List.of());
        for (int i = 0; i < hosts.size(); i++) {
            claim(names, hosts.get(i).name(), hostItems.get(i).require("name"));
            claimAddress(addresses, hosts.get(i).address(), "host \"" + hosts.get(i).name() + "\"", hostItems.get(i).require("address"));
        }

        Topology.LoadBalancerSpec lb = null;
        YamlNode lbNode = root.get("loadBalancer").orElse(null);
        if (lbNode != null) {
            lbNode.checkFields("network", "address", "pool");
            String netName = lbNode.require("network").string();
            Network net = allNetworks(nodeNetwork, networks).stream().filter(x -> x.name().equals(netName)).findFirst()
                    .orElseThrow(() -> lbNode.require("network").error("unknown network \"" + netName + "\""));
            Ipv4 address = hostAddress(lbNode.require("address"), net.cidr());
            claimAddress(addresses, address, "the load balancer", lbNode.require("address"));
            YamlNode poolNode = lbNode.require("pool");
            String[] range = poolNode.string().split("-", -1);
            Ipv4 first, last;
            try {
                if (range.length != 2) throw new IllegalArgumentException("not a range");
                first = Ipv4.parse(range[0]);
                last = Ipv4.parse(range[1]);
            } catch (IllegalArgumentException e) {
                throw poolNode.error("\"" + poolNode.string() + "\" is not an address range like 203.0.113.100-203.0.113.199");
            }
            if (!net.cidr().contains(first) || !net.cidr().contains(last) || first.compareTo(last) > 0) {
                throw poolNode.error(poolNode.string() + " must be an ascending range inside " + net.cidr());
            }
            if (first.equals(net.cidr().network()) || last.equals(net.cidr().broadcast())) {
                throw poolNode.error("the pool holds the network or broadcast address of " + net.cidr());
            }
            for (Map.Entry<String, String> used : addresses.entrySet()) {
                Ipv4 ip = Ipv4.parse(used.getKey());
                if (ip.compareTo(first) >= 0 && ip.compareTo(last) <= 0) {
                    throw poolNode.error("the pool holds " + ip + ", which is already " + used.getValue());
                }
            }
            if (names.containsKey(Topology.LOAD_BALANCER)) {
                throw names.get(Topology.LOAD_BALANCER).error("\"lb\" is reserved for the lab's load balancer");
            }
            lb = new Topology.LoadBalancerSpec(netName, address, first, last);
        }

        List<Path> manifests = new ArrayList<>();
        Path base = file.getParent();
        for (YamlNode m : root.get("manifests").map(YamlNode::items).orElse(List.of())) {
            Path p = base.resolve(m.string()).normalize();
            if (!Files.isRegularFile(p)) throw m.error("no such file: " + p);
            manifests.add(p);
        }
        // The docker runtime's image map: an image name of the manifests -> a local image to run instead.
        java.util.Map<String, String> images = new java.util.LinkedHashMap<>();
        YamlNode imagesNode = root.get("images").orElse(null);
        if (imagesNode != null) {
            if (!imagesNode.isMapping()) throw imagesNode.error("expected a map of image name to local image");
            imagesNode.entries().forEach((from, to) -> {
                String local = to.string();
                if (local.isBlank() || local.chars().anyMatch(Character::isWhitespace)) throw to.error("\"" + local + "\" is not an image name");
                images.put(from, local);
            });
        }
        return new Topology(name, file, runtime, cni, proxyMode, nodeNetwork, clusterCidr, podCidrSize, serviceCidr, ports, bridge,
                List.copyOf(nodes), List.copyOf(networks), List.copyOf(hosts), List.copyOf(manifests), lb,
                java.util.Collections.unmodifiableMap(images));
    }

    private static List<NodeSpec> parseNodes(YamlNode list, Network nodeNetwork, Cidr clusterCidr, int size, Cidr serviceCidr) {
        List<YamlNode> items = list.items();
        if (items.isEmpty()) throw list.error("a lab needs at least one node");
        Map<Integer, Cidr> explicit = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode n = items.get(i).checkFields("name", "address", "podCIDR");
            YamlNode pc = n.get("podCIDR").orElse(null);
            if (pc == null) continue;
            Cidr c = cidr(pc);
            if (!clusterCidr.contains(c)) throw pc.error(c + " is outside clusterCIDR " + clusterCidr);
            if (c.size() < 8) throw pc.error(c + " is too small for pods (at most /29)");
            if (c.overlaps(serviceCidr)) throw pc.error(c + " overlaps serviceCIDR " + serviceCidr);
            for (Map.Entry<Integer, Cidr> e : explicit.entrySet()) {
                if (e.getValue().overlaps(c)) throw pc.error(c + " overlaps the podCIDR of nodes[" + e.getKey() + "] (" + e.getValue() + ")");
            }
            explicit.put(i, c);
        }
        List<NodeSpec> nodes = new ArrayList<>();
        long nextSubnet = 0;
        for (int i = 0; i < items.size(); i++) {
            YamlNode n = items.get(i);
            String nodeName = machineName(n.require("name"));
            Ipv4 addr = hostAddress(n.require("address"), nodeNetwork.cidr());
            Cidr podCidr = explicit.get(i);
            if (podCidr == null) {
                // Carve like kube-controller-manager's range allocator: the first free subnet.
                while (true) {
                    if (nextSubnet >= clusterCidr.subnetCount(size)) {
                        throw n.error("no free /" + size + " left in clusterCIDR " + clusterCidr + " for this node's podCIDR");
                    }
                    Cidr candidate = clusterCidr.subnet(size, nextSubnet++);
                    if (candidate.overlaps(serviceCidr)) continue;
                    if (explicit.values().stream().noneMatch(candidate::overlaps)) {
                        podCidr = candidate;
                        break;
                    }
                }
            }
            nodes.add(new NodeSpec(nodeName, addr, podCidr));
        }
        return nodes;
    }

    private static List<Network> allNetworks(Network nodeNetwork, List<Network> others) {
        List<Network> all = new ArrayList<>();
        all.add(nodeNetwork);
        all.addAll(others);
        return all;
    }

    private static void claim(Map<String, YamlNode> names, String name, YamlNode where) {
        if (name.equals(Topology.ROUTER)) throw where.error("\"router\" is reserved for the lab's gateway");
        YamlNode prev = names.putIfAbsent(name, where);
        if (prev != null) throw where.error("duplicate name \"" + name + "\" (already used at " + prev.path() + ")");
    }

    private static void claimAddress(Map<String, String> used, Ipv4 ip, String who, YamlNode where) {
        String prev = used.putIfAbsent(ip.toString(), who);
        if (prev != null) throw where.error("address " + ip + " is already " + prev);
    }

    private static <T> void unique(List<T> items, Function<T, String> name, YamlNode where, String what, List<String> reserved) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String n = name.apply(items.get(i));
            YamlNode at = where.items().get(i).require("name");
            if (reserved.contains(n)) throw at.error("\"" + n + "\" is reserved");
            Integer prev = seen.putIfAbsent(n, i);
            if (prev != null) throw at.error("duplicate " + what + " name \"" + n + "\"");
        }
    }

    private static void checkDisjoint(YamlNode root, String aName, Cidr a, String bName, Cidr b) {
        if (a.overlaps(b)) throw new ConfigException(root.file(), aName, a + " overlaps " + bName + " " + b);
    }

    static String machineName(YamlNode n) {
        String s = n.string();
        if (!MACHINE_NAME.matcher(s).matches()) {
            throw n.error("\"" + s + "\" is not a valid name: lower-case letters, digits and '-', at most 63 characters");
        }
        return s;
    }

    static Cidr cidr(YamlNode n) {
        try {
            return Cidr.parse(n.string());
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    /** A usable host address inside {@code net}: not the network or broadcast address. */
    static Ipv4 hostAddress(YamlNode n, Cidr net) {
        Ipv4 ip;
        try {
            ip = Ipv4.parse(n.string());
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
        if (!net.contains(ip)) throw n.error(ip + " is outside " + net);
        if (net.size() > 2 && (ip.equals(net.network()) || ip.equals(net.broadcast()))) {
            throw n.error(ip + " is the network or broadcast address of " + net);
        }
        return ip;
    }

    static PortRange portRange(YamlNode n) {
        String s = n.string();
        String[] parts = s.split("-", -1);
        try {
            if (parts.length == 2) {
                int a = Integer.parseInt(parts[0].trim()), b = Integer.parseInt(parts[1].trim());
                if (a >= 1 && b <= 65535 && a <= b) return new PortRange(a, b);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw n.error("\"" + s + "\" is not a port range like 30000-32767");
    }
}
