package io.kubenetlab.model;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A validated lab file: the pure model of the lab's networks and machines (Mininet's {@code topo.py}:
 * it never touches the kernel). Pod CIDRs are already resolved (explicit or carved).
 */
public record Topology(
        String name,
        Path file,
        String runtime,
        String cni,
        String proxyMode,
        Network nodeNetwork,
        Cidr clusterCidr,
        int podCidrSize,
        Cidr serviceCidr,
        PortRange nodePortRange,
        String bridge,
        List<NodeSpec> nodes,
        List<Network> networks,
        List<HostSpec> hosts,
        List<Path> manifests,
        LoadBalancerSpec loadBalancer,
        java.util.Map<String, String> images) {

    /** Name of the node network in host specs and link aliases. */
    public static final String NODE_NETWORK = "nodes";
    /** The gateway namespace's name inside a lab; no node or host may take it. */
    public static final String ROUTER = "router";
    /** The emulated cloud load balancer's name, when the lab has one. */
    public static final String LOAD_BALANCER = "lb";

    /**
     * The emulated outside load balancer: a machine on {@code network} at {@code address} that hands
     * out EXTERNAL-IPs from {@code pool} (first..last) to LoadBalancer Services.
     */
    public record LoadBalancerSpec(String network, Ipv4 address, Ipv4 poolFirst, Ipv4 poolLast) {}

    /** The same lab under another name (tests deploy one file side by side). */
    public Topology withName(String newName) {
        return new Topology(newName, file, runtime, cni, proxyMode, nodeNetwork, clusterCidr, podCidrSize, serviceCidr, nodePortRange, bridge,
                nodes, networks, hosts, manifests, loadBalancer, images);
    }

    /** The same lab on another runtime ({@code deploy --runtime}). */
    public Topology withRuntime(String newRuntime) {
        return new Topology(name, file, newRuntime, cni, proxyMode, nodeNetwork, clusterCidr, podCidrSize, serviceCidr, nodePortRange, bridge,
                nodes, networks, hosts, manifests, loadBalancer, images);
    }

    /** The same lab with another network plugin ({@code deploy --cni}). */
    public Topology withCni(String newCni) {
        return new Topology(name, file, runtime, newCni, proxyMode, nodeNetwork, clusterCidr, podCidrSize, serviceCidr, nodePortRange, bridge,
                nodes, networks, hosts, manifests, loadBalancer, images);
    }

    /** The same lab with another kube-proxy mode ({@code deploy --proxy-mode}). */
    public Topology withProxyMode(String newMode) {
        return new Topology(name, file, runtime, cni, newMode, nodeNetwork, clusterCidr, podCidrSize, serviceCidr, nodePortRange, bridge,
                nodes, networks, hosts, manifests, loadBalancer, images);
    }

    /** The network plugin (labs saved before plugins existed have none: the article's routed network). */
    public String cni() {
        return cni == null ? Defaults.CNI : cni;
    }

    /** kube-proxy's mode (labs saved before modes existed have none: iptables). */
    public String proxyMode() {
        return proxyMode == null ? Defaults.PROXY_MODE : proxyMode;
    }

    /** Image name -> the local image the docker runtime runs instead (never null; empty: built-in defaults). */
    public java.util.Map<String, String> images() {
        return images == null ? java.util.Map.of() : images;
    }

    public record Network(String name, Cidr cidr, Ipv4 gateway) {}

    public record NodeSpec(String name, Ipv4 address, Cidr podCidr) {
        /** The bridge address pods use as their gateway: the first address of the pod CIDR. */
        public Ipv4 bridgeAddress() {
            return podCidr.address(1);
        }
    }

    /**
     * {@code ports}: TCP ports the command listens on; deploy waits for them before any pod starts.
     * {@code image} (optional): an image profile for the host's userland, as for pods (e.g. postgres).
     */
    public record HostSpec(String name, Ipv4 address, String network, List<String> command, List<Integer> ports, String image) {
        public HostSpec(String name, Ipv4 address, String network, List<String> command) {
            this(name, address, network, command, List.of(), null);
        }

        public HostSpec(String name, Ipv4 address, String network, List<String> command, List<Integer> ports) {
            this(name, address, network, command, ports, null);
        }

        /** A host runs something when it has a command, or an image whose profile has a default command. */
        public boolean runs() {
            return !command.isEmpty() || image != null;
        }
    }

    public record PortRange(int first, int last) {
        @Override
        public String toString() {
            return first + "-" + last;
        }
    }

    /** Every network a host can sit on: the node network first, then the outside ones. */
    public List<Network> allNetworks() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(nodeNetwork), networks.stream()).toList();
    }

    public Optional<Network> network(String name) {
        return allNetworks().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The cluster DNS address: the tenth address of the service CIDR, as kubeadm and GKE pick it. */
    public Ipv4 clusterDnsAddress() {
        return clusterDnsAddress(serviceCidr);
    }

    public static Ipv4 clusterDnsAddress(Cidr serviceCidr) {
        return serviceCidr.address(10);
    }

    public Optional<NodeSpec> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
