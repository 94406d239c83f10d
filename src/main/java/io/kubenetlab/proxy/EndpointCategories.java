package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Which endpoints of one service port kube-proxy uses, and the decisions that follow from that
 * (spec sections 6.2 and 6.3; topology hints are not modelled).
 *
 * @param endpoints    all endpoints, deduplicated by "ip:port" and sorted by that string
 * @param cluster      the endpoints for "Cluster" traffic policy (the SVC chain)
 * @param local        the endpoints on this node for "Local" traffic policy (the SVL chain)
 * @param allReachable the endpoints that get a KUBE-SEP chain, sorted by "ip:port"
 * @param hasEndpoints whether the service has a usable endpoint anywhere in the cluster
 */
public record EndpointCategories(ServicePort service, List<Endpoint> endpoints, List<Endpoint> cluster,
        List<Endpoint> local, List<Endpoint> allReachable, boolean hasEndpoints) {

    /** Sorts and deduplicates the endpoints, then categorises them as kube-proxy's CategorizeEndpoints does. */
    public static EndpointCategories of(ServicePort sp, List<Endpoint> endpoints, String nodeName) {
        List<Endpoint> all = sortedUnique(endpoints);
        Predicate<Endpoint> isLocal = ep -> ep.nodeName() != null && ep.nodeName().equals(nodeName);
        Predicate<Endpoint> servingTerminating = ep -> ep.serving() && ep.terminating();

        List<Endpoint> cluster = List.of();
        boolean hasEndpoints = false;
        if (sp.usesClusterEndpoints()) {
            cluster = filter(all, Endpoint::ready);
            // No ready endpoint anywhere: terminating ones that still serve are better than dropping traffic.
            if (cluster.isEmpty()) cluster = filter(all, servingTerminating);
            hasEndpoints = !cluster.isEmpty();
        }
        if (!sp.usesLocalEndpoints()) {
            return new EndpointCategories(sp, all, cluster, List.of(), cluster, hasEndpoints);
        }

        boolean localReady = false;
        boolean localServingTerminating = false;
        for (Endpoint ep : all) {
            if (ep.ready()) {
                hasEndpoints = true;
                localReady |= isLocal.test(ep);
            } else if (servingTerminating.test(ep)) {
                hasEndpoints = true;
                localServingTerminating |= isLocal.test(ep);
            }
        }
        List<Endpoint> local = localReady ? filter(all, isLocal.and(Endpoint::ready))
                : localServingTerminating ? filter(all, isLocal.and(servingTerminating))
                : List.of();

        List<Endpoint> reachable;
        if (!sp.usesClusterEndpoints()) {
            reachable = local;
        } else if (!localServingTerminating || localReady) {
            // local holds only ready endpoints, so it is a subset of cluster (all ready endpoints).
            reachable = cluster;
        } else {
            // local fell back to terminating endpoints, which cluster may lack: the union. Upstream builds it
            // from a Go map (random order); we keep the sorted order so the output is deterministic.
            List<Endpoint> clusterEps = cluster;
            reachable = filter(all, ep -> clusterEps.contains(ep) || local.contains(ep));
        }
        return new EndpointCategories(sp, all, cluster, local, reachable, hasEndpoints);
    }

    /**
     * Deduplicated by "ip:port" (a terminating duplicate never replaces another entry, a non-terminating one
     * does) and sorted by that string byte-wise: "10.180.0.10:80" comes before "10.180.0.1:80".
     */
    static List<Endpoint> sortedUnique(List<Endpoint> endpoints) {
        TreeMap<String, Endpoint> byKey = new TreeMap<>();
        for (Endpoint ep : endpoints) {
            if (ep.port() <= 0) continue; // an EndpointSlice port without a number is ignored
            String key = ChainNames.endpoint(ep);
            if (!ep.terminating() || !byKey.containsKey(key)) byKey.put(key, ep);
        }
        return List.copyOf(byKey.values());
    }

    private static List<Endpoint> filter(List<Endpoint> all, Predicate<? super Endpoint> keep) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint ep : all) {
            if (keep.test(ep)) out.add(ep);
        }
        return List.copyOf(out);
    }

    /** Whether the cluster IP leads anywhere (false: ITP=Local and no endpoint on this node). */
    public boolean hasInternalEndpoints() {
        return hasEndpoints && !(service.internalPolicyLocal() && local.isEmpty());
    }

    /** Whether external destinations lead anywhere (false: ETP=Local and no endpoint on this node). */
    public boolean hasExternalEndpoints() {
        return hasEndpoints && !(service.externalPolicyLocal() && local.isEmpty());
    }

    public boolean usesClusterChain() {
        return !cluster.isEmpty() && service.usesClusterEndpoints();
    }

    public boolean usesLocalChain() {
        return !local.isEmpty() && service.usesLocalEndpoints();
    }

    /** The EXT chain exists even without external endpoints: it holds the short-circuit rules for local traffic. */
    public boolean usesExtChain() {
        return hasEndpoints && service.externallyAccessible();
    }

    public boolean usesFwChain() {
        return hasEndpoints && !service.loadBalancerIPs().isEmpty() && !service.loadBalancerSourceRanges().isEmpty();
    }
}
