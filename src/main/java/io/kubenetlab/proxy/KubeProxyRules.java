package io.kubenetlab.proxy;

import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The iptables-restore payloads kube-proxy (iptables mode, v1.29 text) writes for one IPv4 node: the rules
 * of a full sync on a fresh node ({@link #render}) and the one-time jump rules from the built-in chains
 * ({@link #bootstrap}). Pure: no I/O, the same input always gives the same bytes. The behaviour and rule
 * text follow docs/kube-proxy-iptables.md; section numbers below refer to it.
 */
public final class KubeProxyRules {
    /** Above this many endpoints kube-proxy drops the per-endpoint comments ("large cluster mode", 6.6). */
    static final int LARGE_CLUSTER_ENDPOINTS = 1000;

    private static final String SERVICES = "KUBE-SERVICES";
    private static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
    private static final String NODEPORTS = "KUBE-NODEPORTS";
    private static final String FORWARD = "KUBE-FORWARD";
    private static final String PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
    private static final String FIREWALL = "KUBE-FIREWALL";
    private static final String POSTROUTING = "KUBE-POSTROUTING";
    private static final String MARK_MASQ = "KUBE-MARK-MASQ";

    /** Service ports in a deterministic order; upstream iterates a Go map (random order, harmless). */
    private static final Comparator<ServicePort> SERVICE_ORDER =
            Comparator.comparing(ChainNames::servicePortName).thenComparing(ServicePort::protocol);

    private final NodeSettings node;
    private final List<EndpointCategories> ports;
    private final String mark;
    /** The local-traffic detector (--detect-local-mode ClusterCIDR); both null when there is none. */
    private final String ifLocal;
    private final String ifNotLocal;
    private final boolean largeCluster;

    // Chain lines and rules are kept apart per table, as upstream does: all ":CHAIN" lines precede the rules.
    private final Lines filterChains = new Lines(256);
    private final Lines filterRules = new Lines(1024);
    private final Lines natChains;
    private final Lines natRules;

    private KubeProxyRules(NodeSettings node, List<EndpointCategories> ports) {
        this.node = node;
        this.ports = ports;
        int endpoints = 0;
        for (EndpointCategories port : ports) endpoints += port.endpoints().size();
        this.largeCluster = endpoints > LARGE_CLUSTER_ENDPOINTS;
        // Sized for the usual case up front: regrowing a builder of tens of MB costs more than filling it.
        this.natChains = new Lines(capacity(80L * ports.size() + 40L * endpoints));
        this.natRules = new Lines(capacity(512L * ports.size() + (largeCluster ? 256L : 400L) * endpoints));
        // Go's %#08x: eight hex digits after the 0x (iptables-save later shows it as 0x4000).
        this.mark = String.format("0x%08x", 1 << node.masqueradeBit());
        Cidr cidr = node.clusterCidr();
        this.ifLocal = cidr == null ? null : "-s " + cidr;
        this.ifNotLocal = cidr == null ? null : "! -s " + cidr;
    }

    /**
     * The complete payload of a full sync, for {@code iptables-restore --noflush}: {@code *filter ... COMMIT}
     * then {@code *nat ... COMMIT}. Service ports without a cluster IP are skipped.
     *
     * @throws IllegalArgumentException if two service ports have the same name and protocol
     */
    public static String render(List<ServiceEndpoints> services, NodeSettings node) {
        return new KubeProxyRules(node, categorise(services, node.nodeName())).write();
    }




    /**
     * What kube-proxy does with the iptables CLI before its first sync (4.1): create its top-level chains
     * and jump to them from the built-in chains. For {@code iptables-restore --noflush}, once, on a fresh
     * node, before the first {@link #render} payload (declaring a chain here flushes it). Each jump is
     * inserted at position 1 in kube-proxy's order, so each built-in chain ends up listing them in reverse.
     */
    public static String bootstrap() {
        return Bootstrap.PAYLOAD;
    }

    private String write() {
        for (String chain : List.of(SERVICES, EXTERNAL_SERVICES, FORWARD, NODEPORTS, PROXY_FIREWALL)) {
            filterChains.chain(chain);
        }
        for (String chain : List.of(SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ)) {
            natChains.chain(chain);
        }
        natRules.add("-A", POSTROUTING, "-m mark ! --mark", mark + "/" + mark, "-j RETURN");
        // Clear the mark so a packet that traverses the stack again is not masqueraded twice.
        natRules.add("-A", POSTROUTING, "-j MARK --xor-mark", mark);
        natRules.add("-A", POSTROUTING, "-m comment --comment", quote("kubernetes service traffic requiring SNAT"),
                "-j MASQUERADE", node.randomFully() ? "--random-fully" : null);
        natRules.add("-A", MARK_MASQ, "-j MARK --or-mark", mark);
        if (node.localhostNodePorts()) {
            // route_localnet makes 127.0.0.1:<nodePort> work; this closes the martian hole it opens (CVE-2020-8558).
            filterChains.chain(FIREWALL);
            filterRules.add("-A", FIREWALL, "-m comment --comment", quote("block incoming localnet connections"),
                    "-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
        }

        for (EndpointCategories port : ports) writeServicePort(port);

        // Must stay the last rule of nat KUBE-SERVICES: every service's own match has to be tried first.
        natRules.add("-A", SERVICES, "-m comment --comment",
                quote("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
                "-m addrtype --dst-type LOCAL", node.localhostNodePorts() ? null : "! -d 127.0.0.0/8",
                "-j", NODEPORTS);

        // nf_conntrack_tcp_be_liberal = 0 on a fresh node: INVALID packets would otherwise reset connections.
        filterRules.add("-A", FORWARD, "-m conntrack --ctstate INVALID -j DROP");
        filterRules.add("-A", FORWARD, "-m comment --comment", quote("kubernetes forwarding rules"),
                "-m mark --mark", mark + "/" + mark, "-j ACCEPT");
        filterRules.add("-A", FORWARD, "-m comment --comment", quote("kubernetes forwarding conntrack rule"),
                "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");

        StringBuilder out = new StringBuilder(filterChains.length() + filterRules.length()
                + natChains.length() + natRules.length() + 32);
        out.append("*filter\n").append(filterChains.text()).append(filterRules.text()).append("COMMIT\n");
        out.append("*nat\n").append(natChains.text()).append(natRules.text()).append("COMMIT\n");
        return out.toString();
    }

    static List<EndpointCategories> categorise(List<ServiceEndpoints> services, String nodeName) {
        List<ServiceEndpoints> kept = new ArrayList<>();
        for (ServiceEndpoints se : services) {
            if (se.service().clusterIP() != null) kept.add(se); // headless, or no IPv4 cluster IP
        }
        kept.sort(Comparator.comparing(ServiceEndpoints::service, SERVICE_ORDER));
        List<EndpointCategories> ports = new ArrayList<>(kept.size());
        ServicePort previous = null;
        for (ServiceEndpoints se : kept) {
            if (previous != null && SERVICE_ORDER.compare(previous, se.service()) == 0) {
                throw new IllegalArgumentException("service port " + ChainNames.servicePortName(se.service()) + "/"
                        + se.service().protocol() + " is given twice");
            }
            previous = se.service();
            ports.add(EndpointCategories.of(se.service(), se.endpoints(), nodeName));
        }
        return ports;
    }

    /** All rules of one service port, in kube-proxy's emission order (6.4 a-k). */
    private void writeServicePort(EndpointCategories eps) {
        ServicePort sp = eps.service();
        String spn = ChainNames.servicePortName(sp);
        String proto = ChainNames.protocol(sp);
        String hash = ChainNames.hash(sp);
        String svc = ChainNames.SVC + hash;
        String svl = ChainNames.SVL + hash;
        String ext = ChainNames.EXT + hash;
        String fw = ChainNames.FW + hash;
        String match = "-m " + proto + " -p " + proto;
        String clusterIP = sp.clusterIP().toString();
        String port = Integer.toString(sp.port());

        boolean hasEndpoints = eps.hasEndpoints();
        boolean hasInternal = eps.hasInternalEndpoints();
        boolean hasExternal = eps.hasExternalEndpoints();
        boolean usesFw = eps.usesFwChain();
        String internalChain = sp.internalPolicyLocal() ? svl : svc;
        String externalPolicyChain = sp.externalPolicyLocal() ? svl : svc;
        // Traffic the nat table does not DNAT is stopped in filter: REJECT if no endpoint exists at all,
        // DROP if endpoints exist but the traffic policy is Local and none is on this node.
        String filterTarget = hasEndpoints ? "DROP" : "REJECT";
        String filterComment = quote(spn + (hasEndpoints ? " has no local endpoints" : " has no endpoints"));

        // (a) the cluster IP
        if (hasInternal) {
            natRules.add("-A", SERVICES, "-m comment --comment", quote(spn + " cluster IP"), match,
                    "-d", clusterIP, "--dport", port, "-j", internalChain);
        } else {
            filterRules.add("-A", SERVICES, "-m comment --comment", filterComment, match,
                    "-d", clusterIP, "--dport", port, "-j", filterTarget);
        }
        // (b) external IPs
        for (Ipv4 ip : sp.externalIPs()) {
            if (hasEndpoints) {
                natRules.add("-A", SERVICES, "-m comment --comment", quote(spn + " external IP"), match,
                        "-d", ip.toString(), "--dport", port, "-j", ext);
            }
            if (!hasExternal) {
                filterRules.add("-A", EXTERNAL_SERVICES, "-m comment --comment", filterComment, match,
                        "-d", ip.toString(), "--dport", port, "-j", filterTarget);
            }
        }
        // (c) load-balancer IPs; with source ranges they go through the FW chain
        for (Ipv4 ip : sp.loadBalancerIPs()) {
            if (hasEndpoints) {
                natRules.add("-A", SERVICES, "-m comment --comment", quote(spn + " loadbalancer IP"), match,
                        "-d", ip.toString(), "--dport", port, "-j", usesFw ? fw : ext);
            }
            if (usesFw) {
                filterRules.add("-A", PROXY_FIREWALL, "-m comment --comment",
                        quote(spn + " traffic not accepted by " + fw), match,
                        "-d", ip.toString(), "--dport", port, "-j DROP");
            }
        }
        // (c2)
        if (!hasExternal) {
            for (Ipv4 ip : sp.loadBalancerIPs()) {
                filterRules.add("-A", EXTERNAL_SERVICES, "-m comment --comment", filterComment, match,
                        "-d", ip.toString(), "--dport", port, "-j", filterTarget);
            }
        }
        // (d) the node port: always the EXT chain, source ranges do not apply to node ports
        if (sp.nodePort() != 0) {
            String nodePort = Integer.toString(sp.nodePort());
            if (hasEndpoints) {
                natRules.add("-A", NODEPORTS, "-m comment --comment", spn, match, "--dport", nodePort, "-j", ext);
            }
            if (!hasExternal) {
                filterRules.add("-A", EXTERNAL_SERVICES, "-m comment --comment", filterComment,
                        "-m addrtype --dst-type LOCAL", match, "--dport", nodePort, "-j", filterTarget);
            }
        }
        // (e) the health check node port is accepted whether or not there are endpoints
        if (sp.healthCheckNodePort() != 0) {
            filterRules.add("-A", NODEPORTS, "-m comment --comment", quote(spn + " health check node port"),
                    "-m tcp -p tcp --dport", Integer.toString(sp.healthCheckNodePort()), "-j ACCEPT");
        }

        // (f) masquerade off-cluster traffic to the cluster IP: a reply could otherwise bypass this node
        if (hasInternal && (node.masqueradeAll() || ifNotLocal != null)) {
            natRules.add("-A", internalChain, "-m comment --comment", quote(spn + " cluster IP"), match,
                    "-d", clusterIP, "--dport", port, node.masqueradeAll() ? null : ifNotLocal, "-j", MARK_MASQ);
        }
        // (g) the EXT chain
        if (eps.usesExtChain()) {
            natChains.chain(ext);
            if (!sp.externalPolicyLocal()) {
                // Endpoints may be on other nodes: masquerade so replies come back through this node.
                natRules.add("-A", ext, "-m comment --comment",
                        quote("masquerade traffic for " + spn + " external destinations"), "-j", MARK_MASQ);
            } else {
                // ETP=Local keeps the client's source. Pods and the node itself are short-circuited to
                // the cluster-wide endpoints, as if they had gone out to a load balancer and back.
                if (ifLocal != null) {
                    natRules.add("-A", ext, "-m comment --comment",
                            quote("pod traffic for " + spn + " external destinations"), ifLocal, "-j", svc);
                }
                natRules.add("-A", ext, "-m comment --comment",
                        quote("masquerade LOCAL traffic for " + spn + " external destinations"),
                        "-m addrtype --src-type LOCAL -j", MARK_MASQ);
                natRules.add("-A", ext, "-m comment --comment",
                        quote("route LOCAL traffic for " + spn + " external destinations"),
                        "-m addrtype --src-type LOCAL -j", svc);
            }
            if (hasExternal) natRules.add("-A", ext, "-j", externalPolicyChain);
        }
        // (h) the FW chain: allowed sources go on to EXT, the rest falls through to KUBE-PROXY-FIREWALL's DROP
        if (usesFw) {
            natChains.chain(fw);
            String lbComment = quote(spn + " loadbalancer IP");
            boolean allowFromNode = false;
            for (Cidr range : sp.loadBalancerSourceRanges()) {
                natRules.add("-A", fw, "-m comment --comment", lbComment, "-s", range.toString(), "-j", ext);
                allowFromNode |= node.nodeIP() != null && range.contains(node.nodeIP());
            }
            if (allowFromNode) {
                // A VIP that is a local address loops back with the VIP as source, not this node's IP.
                for (Ipv4 ip : sp.loadBalancerIPs()) {
                    natRules.add("-A", fw, "-m comment --comment", lbComment, "-s", ip.toString(), "-j", ext);
                }
            }
            natRules.add("-A", fw, "-m comment --comment",
                    quote("other traffic to " + spn + " will be dropped by KUBE-PROXY-FIREWALL"));
        }
        // (i), (j), (k) the load-balancing chains and one chain per endpoint
        Map<Endpoint, String> seps = new HashMap<>();
        for (Endpoint ep : eps.allReachable()) {
            seps.put(ep, ChainNames.sep(spn, proto, ChainNames.endpoint(ep)));
        }
        if (eps.usesClusterChain()) {
            natChains.chain(svc);
            writeServiceToEndpointRules(svc, spn, sp, eps.cluster(), seps);
        }
        if (eps.usesLocalChain()) {
            natChains.chain(svl);
            writeServiceToEndpointRules(svl, spn, sp, eps.local(), seps);
        }
        String spnComment = comment(spn);
        for (Endpoint ep : eps.allReachable()) {
            String sep = seps.get(ep);
            natChains.chain(sep);
            // Hairpin: a pod reaching itself through the service must see the node as source, not itself.
            natRules.add("-A", sep, spnComment, "-s", ep.ip().toString(), "-j", MARK_MASQ);
            natRules.add("-A", sep, spnComment, sp.stickySeconds() > 0 ? "-m recent --name " + sep + " --set" : null,
                    match, "-j DNAT --to-destination", ChainNames.endpoint(ep));
        }
    }

    /**
     * Picks an endpoint uniformly: endpoint i of n is taken with probability 1/(n-i) among the rest, the last
     * one unconditionally. ClientIP affinity first sends known clients back to their endpoint.
     */
    private void writeServiceToEndpointRules(String chain, String spn, ServicePort sp, List<Endpoint> endpoints,
            Map<Endpoint, String> seps) {
        if (sp.stickySeconds() > 0) {
            String seconds = Integer.toString(sp.stickySeconds());
            for (Endpoint ep : endpoints) {
                String sep = seps.get(ep);
                natRules.add("-A", chain, comment(quote(spn + " -> " + ChainNames.endpoint(ep))),
                        "-m recent --name", sep, "--rcheck --seconds", seconds, "--reap -j", sep);
            }
        }
        int n = endpoints.size();
        for (int i = 0; i < n; i++) {
            Endpoint ep = endpoints.get(i);
            natRules.add("-A", chain, comment(quote(spn + " -> " + ChainNames.endpoint(ep))),
                    i < n - 1 ? "-m statistic --mode random --probability " + probability(n - i) : null,
                    "-j", seps.get(ep));
        }
    }

    /** The comment of an endpoint rule; left out in large-cluster mode, where it would bloat the ruleset. */
    private String comment(String text) {
        return largeCluster ? null : "-m comment --comment " + text;
    }

    /** Services rarely have more than a few endpoints: keep those strings instead of re-deriving them. */
    private static final String[] PROBABILITIES = new String[64];

    static {
        for (int n = 1; n < PROBABILITIES.length; n++) PROBABILITIES[n] = format(n);
    }

    /**
     * Go's {@code %0.10f} of 1.0/n: the exact binary value rounded half-even. {@code String.format} rounds the
     * decimal half up and differs, for example at n = 2048 (0.0004882812, not ...13).
     */
    public static String probability(int n) {
        return n < PROBABILITIES.length ? PROBABILITIES[n] : format(n);
    }

    private static String format(int n) {
        return new BigDecimal(1.0 / n).setScale(10, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** An estimate, capped: past the cap the builder grows as usual. */
    private static int capacity(long estimate) {
        return (int) Math.min(1024 + estimate, 256L << 20);
    }

    /** A multi-word comment is one token for iptables-restore only inside double quotes. */
    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    /** One table's chain lines or rules; tokens are joined with single spaces, null tokens left out. */
    static final class Lines {
        private final StringBuilder text;

        Lines(int capacity) {
            text = new StringBuilder(capacity);
        }

        void chain(String name) {
            text.append(':').append(name).append(" - [0:0]\n");
        }

        void add(String... tokens) {
            boolean first = true;
            for (String token : tokens) {
                if (token == null) continue;
                if (!first) text.append(' ');
                text.append(token);
                first = false;
            }
            text.append('\n');
        }

        int length() {
            return text.length();
        }

        CharSequence text() {
            return text;
        }
    }
}
