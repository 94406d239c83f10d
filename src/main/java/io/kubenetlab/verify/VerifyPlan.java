package io.kubenetlab.verify;

import io.kubenetlab.k8s.ServicePortSpec;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.verify.Check.Kind;
import io.kubenetlab.verify.Trial.SourceKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of {@code kubenetlab verify}, planned from a lab's saved state alone (no traffic yet):
 * <ol>
 *   <li>ClusterIP spread: N requests from every client pod (a pod that is no Service's endpoint; the
 *       first node when there is none) to every proxied Service port;</li>
 *   <li>NodePort: N requests to every node's nodePort from the first outside host on the node network,
 *       and N to each LoadBalancer EXTERNAL-IP and externalIP from there too;</li>
 *   <li>Reach: one request to the ClusterIP from every node and every pod;</li>
 *   <li>Hairpin: an endpoint pod reaches itself through its Service (with sessionAffinity ClientIP the pod
 *       may already stick to another endpoint: then answers all from that one pass);</li>
 *   <li>NoEndpoints: a Service port without ready endpoints refuses at once;</li>
 *   <li>DNS: every Service's {@code <svc>.<ns>} (all namespaces) resolves from every pod to its ClusterIP,
 *       or for a headless Service to exactly its ready endpoints (none: not at all); an ExternalName
 *       Service to a Service of the cluster as its target does, to an outside name noted and skipped; and {@value Dns#NO_SUCH_NAME} fails at once (NXDOMAIN) from one
 *       client pod.</li>
 * </ol>
 * A proxied Service is a ClusterIP, NodePort or LoadBalancer Service with a ClusterIP (not headless,
 * not ExternalName); each of its TCP ports is checked. What each probe should see follows
 * kube-proxy: the ready endpoints share the traffic, Local traffic policies keep it on the node it
 * enters (and drop it when that node has none), sessionAffinity ClientIP sticks to one pod.
 */
public record VerifyPlan(List<Check> checks, List<String> notes) {
    /** Requests of the hairpin check, at most: it stops at the pod's first answer from itself. */
    public static final int HAIRPIN_REQUESTS = 30;

    public static VerifyPlan of(LabState s, int requests) {
        return new Planner(s, requests).plan();
    }

    private static final class Planner {
        final LabState s;
        final int n;
        final List<Check> checks = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Planner(LabState s, int n) {
            if (n < 1) throw new IllegalArgumentException("-n: at least one request");
            this.s = s;
            this.n = n;
        }

        /** A Service port with what it needs: its ClusterIP, its endpoints for this port. */
        record Target(ServiceRecord svc, ServicePortSpec port, List<EndpointRecord> endpoints) {
            List<EndpointRecord> ready() {
                return endpoints.stream().filter(EndpointRecord::ready).toList();
            }

            String label() {
                return svc.namespace().equals("default") ? svc.name() : svc.key();
            }

            boolean hasNodePort() {
                return (svc.type().equals("NodePort") || svc.type().equals("LoadBalancer")) && port.nodePort() > 0;
            }

            String noEndpoints() {
                return endpoints.isEmpty() ? "no endpoints" : "no ready endpoints";
            }
        }

        VerifyPlan plan() {
            List<Target> targets = targets();
            List<Client> clients = clients();
            // 1. ClusterIP spread from every client.
            for (Target t : targets) {
                if (t.ready().isEmpty()) continue;
                for (Client c : clients) {
                    Expect e = expect(t, c.node(), t.svc().internalTrafficPolicy(), "internalTrafficPolicy");
                    checks.add(new Check(Kind.CLUSTER_IP, t.label(), t.svc().clusterIP(), t.port().port(),
                            List.of(new Trial(c.name(), c.kind(), e.mode() == Expect.Mode.ANSWER ? n : 1, e, null))));
                }
            }
            // 2. NodePorts of every node, from outside.
            Optional<Topology.HostSpec> outside = s.topology.hosts().stream()
                    .filter(h -> Topology.NODE_NETWORK.equals(h.network())).findFirst();
            boolean anyNodePort = targets.stream().anyMatch(Target::hasNodePort);
            if (anyNodePort && outside.isEmpty()) {
                notes.add("NodePort checks skipped: the lab has no outside host on the node network");
            }
            if (anyNodePort && outside.isPresent()) {
                String host = outside.get().name();
                for (Target t : targets) {
                    if (!t.hasNodePort()) continue;
                    for (Topology.NodeSpec node : s.topology.nodes()) {
                        Expect e = t.ready().isEmpty() ? Expect.refuse(t.noEndpoints())
                                : expect(t, node.name(), t.svc().externalTrafficPolicy(), "externalTrafficPolicy");
                        checks.add(new Check(Kind.NODE_PORT, t.label(), node.address().toString(), t.port().nodePort(),
                                List.of(new Trial(host, SourceKind.HOST, e.mode() == Expect.Mode.ANSWER ? n : 1, e, null))));
                    }
                }
            }
            // 2b. LoadBalancer EXTERNAL-IPs and externalIPs, from outside too.
            for (Target t : targets) {
                List<String> lbIPs = t.svc().type().equals("LoadBalancer") && t.svc().loadBalancerIPs() != null ? t.svc().loadBalancerIPs().stream().map(Object::toString).toList() : List.of();
                List<String> extIPs = t.svc().externalIPs() == null ? List.of() : t.svc().externalIPs().stream().map(Object::toString).toList();
                if (lbIPs.isEmpty() && extIPs.isEmpty()) continue;
                if (outside.isEmpty()) {
                    notes.add("EXTERNAL-IP checks of " + t.label() + " skipped: the lab has no outside host on the node network");
                    continue;
                }
                if (t.ready().isEmpty()) {
                    notes.add("EXTERNAL-IP checks of " + t.label() + " skipped: " + t.noEndpoints() + " (see its NoEndpoints line)");
                    continue;
                }
                // The load balancer sends only to nodes with a ready endpoint when the policy is Local, so
                // every ready endpoint may answer either way.
                Expect all = expect(t, null, "Cluster", null);
                String host = outside.get().name();
                for (String ip : lbIPs) {
                    checks.add(new Check(Kind.LOAD_BALANCER, t.label(), ip, t.port().port(), List.of(new Trial(host, SourceKind.HOST, n, all, null))));
                }
                for (String ip : extIPs) {
                    if ("Local".equals(t.svc().externalTrafficPolicy())) {
                        notes.add("externalIP " + ip + " of " + t.label() + " not checked: externalTrafficPolicy Local over ECMP drops on nodes without an endpoint");
                        continue;
                    }
                    checks.add(new Check(Kind.EXTERNAL_IP, t.label(), ip, t.port().port(), List.of(new Trial(host, SourceKind.HOST, n, all, null))));
                }
            }
            // 3. The ClusterIP from every node and every pod: one request each.
            for (Target t : targets) {
                if (t.ready().isEmpty()) continue;
                List<Trial> probes = new ArrayList<>();
                for (Topology.NodeSpec node : s.topology.nodes()) {
                    probes.add(new Trial(node.name(), SourceKind.NODE, 1,
                            expect(t, node.name(), t.svc().internalTrafficPolicy(), "internalTrafficPolicy"), null));
                }
                for (PodRecord p : s.pods) {
                    probes.add(new Trial(p.name(), SourceKind.POD, 1,
                            expect(t, p.node(), t.svc().internalTrafficPolicy(), "internalTrafficPolicy"), null));
                }
                if (!probes.isEmpty()) checks.add(new Check(Kind.REACH, t.label(), t.svc().clusterIP(), t.port().port(), probes));
            }
            // 4. Hairpin: one endpoint pod reaches itself through the ClusterIP.
            for (Target t : targets) {
                if (t.ready().isEmpty()) continue;
                Optional<PodRecord> self = t.ready().stream().map(this::podOf).flatMap(Optional::stream).findFirst();
                if (self.isEmpty()) {
                    notes.add("Hairpin check of " + t.label() + " skipped: none of its endpoints is a pod of the lab");
                    continue;
                }
                PodRecord p = self.get();
                checks.add(new Check(Kind.HAIRPIN, t.label(), t.svc().clusterIP(), t.port().port(), List.of(new Trial(p.name(),
                        SourceKind.POD, HAIRPIN_REQUESTS, expect(t, p.node(), t.svc().internalTrafficPolicy(), "internalTrafficPolicy"),
                        p.hostname()))));
            }
            // 5. Without ready endpoints, kube-proxy rejects: refused at once.
            Client first = clients.get(0);
            for (Target t : targets) {
                if (!t.ready().isEmpty()) continue;
                checks.add(new Check(Kind.NO_ENDPOINTS, t.label(), t.svc().clusterIP(), t.port().port(),
                        List.of(new Trial(first.name(), first.kind(), 1, Expect.refuse(t.noEndpoints()), null))));
            }
            // 6. DNS: every Service name from every pod (one exec per pod runs them all), a missing name from one.
            dns(clients);
            return new VerifyPlan(List.copyOf(checks), List.copyOf(notes));
        }

        void dns(List<Client> clients) {
            if (s.pods.isEmpty()) {
                notes.add("DNS checks skipped: the lab has no pods");
                return;
            }
            List<Trial> everyPod = s.pods.stream().map(p -> new Trial(p.name(), SourceKind.POD, 1, null, null)).toList();
            for (ServiceRecord svc : s.services) {
                Dns.Expected e = "ExternalName".equals(svc.type())
                        ? Dns.externalName(svc, s.services, s.endpoints, io.kubenetlab.model.Defaults.CLUSTER_DOMAIN)
                        : Dns.expected(svc, s.endpoints.getOrDefault(svc.key(), List.of()));
                if (e == null) {
                    notes.add("DNS check of " + svc.name() + "." + svc.namespace() + " skipped: ExternalName"
                            + (svc.externalName() == null ? "" : " (a CNAME to " + svc.externalName() + ")")
                            + ", its target is outside the lab, which has no internet");
                    continue;
                }
                checks.add(Check.dns(e, everyPod));
            }
            String from = clients.get(0).kind() == SourceKind.POD ? clients.get(0).name() : s.pods.get(0).name();
            checks.add(Check.dns(new Dns.Expected(Dns.NO_SUCH_NAME, java.util.Set.of(), true),
                    List.of(new Trial(from, SourceKind.POD, 1, null, null))));
        }

        /** Every TCP port of every proxied Service; a note for each Service left out. */
        List<Target> targets() {
            List<Target> out = new ArrayList<>();
            for (ServiceRecord svc : s.services) {
                String label = svc.namespace().equals("default") ? svc.name() : svc.key();
                if (svc.namespace().equals("kube-system")) {
                    notes.add("skipped " + label + ": a cluster add-on (DNS), not an HTTP service");
                    continue;
                }
                if (svc.clusterIP() == null || "ExternalName".equals(svc.type())) {
                    notes.add("skipped " + label + ": ExternalName, nothing to proxy");
                    continue;
                }
                if (svc.headless()) {
                    notes.add("skipped " + label + ": headless (clusterIP None), not proxied");
                    continue;
                }
                var ignored = io.kubenetlab.proxy.ServiceProxyName.ignoredBecause(svc.labels());
                if (ignored.isPresent()) {
                    notes.add("skipped " + label + ": " + ignored.get());
                    continue;
                }
                if (!List.of("ClusterIP", "NodePort", "LoadBalancer").contains(svc.type())) {
                    notes.add("skipped " + label + ": type " + svc.type());
                    continue;
                }
                List<EndpointRecord> eps = s.endpoints.getOrDefault(svc.key(), List.of());
                int tcp = 0;
                for (ServicePortSpec sp : svc.ports()) {
                    if (!"TCP".equals(sp.protocol())) continue;
                    tcp++;
                    out.add(new Target(svc, sp, eps.stream()
                            .filter(e -> "TCP".equals(e.protocol()) && sp.name().equals(e.portName())).toList()));
                }
                if (tcp == 0) notes.add("skipped " + label + ": no TCP port");
            }
            return out;
        }

        /** Who answers a request entering kube-proxy on {@code node}, under a traffic policy. */
        Expect expect(Target t, String node, String policy, String policyName) {
            List<EndpointRecord> eligible = t.ready();
            if ("Local".equals(policy)) {
                eligible = eligible.stream().filter(e -> node.equals(e.nodeName())).toList();
                if (eligible.isEmpty()) return Expect.drop(policyName + " Local, no ready endpoint on " + node);
            }
            List<String> names = new ArrayList<>();
            for (EndpointRecord e : eligible) {
                Optional<PodRecord> p = podOf(e);
                if (p.isEmpty()) return Expect.answer(null, "ClientIP".equals(t.svc().sessionAffinity()));
                if (!names.contains(p.get().hostname())) names.add(p.get().hostname());
            }
            return Expect.answer(names, "ClientIP".equals(t.svc().sessionAffinity()));
        }

        /** The lab pod behind an endpoint: by name, or by address for Endpoints written by hand. */
        Optional<PodRecord> podOf(EndpointRecord e) {
            if (e.podName() != null) return s.pod(e.podName());
            return s.pods.stream().filter(p -> p.ip() != null && p.ip().equals(e.ip())).findFirst();
        }

        record Client(String name, SourceKind kind, String node) {}

        /** Pods that are no Service's endpoint; the first node when there is none. */
        List<Client> clients() {
            Set<String> endpointPods = new HashSet<>();
            for (List<EndpointRecord> eps : s.endpoints.values()) {
                for (EndpointRecord e : eps) podOf(e).ifPresent(p -> endpointPods.add(p.name()));
            }
            List<Client> out = new ArrayList<>();
            for (PodRecord p : s.pods) {
                if (!endpointPods.contains(p.name())) out.add(new Client(p.name(), SourceKind.POD, p.node()));
            }
            if (out.isEmpty()) {
                Topology.NodeSpec node = s.topology.nodes().get(0);
                out.add(new Client(node.name(), SourceKind.NODE, node.name()));
            }
            return out;
        }
    }
}
