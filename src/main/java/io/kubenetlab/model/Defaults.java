package io.kubenetlab.model;

import java.util.List;

/** Every default of the lab file in one place (kind keeps its config defaults in one file too). */
public final class Defaults {
    private Defaults() {}

    public static final String RUNTIME = "netns";
    public static final List<String> RUNTIMES = List.of("netns", "docker");
    /** The article's picture: node routes via the gateway, which routes each pod CIDR to its node. */
    public static final String CNI = "routed";
    public static final String PROXY_MODE = "iptables";
    public static final String CLUSTER_CIDR = "10.0.0.0/14";
    public static final int POD_CIDR_SIZE = 24;
    /** GKE's classic service range, which the article's 10.3.241.152 comes from. */
    public static final String SERVICE_CIDR = "10.3.240.0/20";
    public static final int NODE_PORT_FIRST = 30000;
    public static final int NODE_PORT_LAST = 32767;
    public static final String BRIDGE = "cbr0";
    public static final String CLUSTER_DOMAIN = "cluster.local";
    public static final String NAMESPACE = "default";
    /** How long deploy waits for one workload to become ready before it rolls back. */
    public static final int READY_TIMEOUT_SECONDS = 60;
}
