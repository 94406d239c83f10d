package io.kubenetlab.runtime;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.model.Defaults;

/** The files kubelet writes for a pod: {@code /etc/hosts} and {@code /etc/resolv.conf}. */
public final class PodFiles {
    private PodFiles() {}

    /** kubelet's managed hosts file: localhost entries, then the pod's own IP and hostname. */
    public static String hosts(PodRecord pod) {
        return "# Kubernetes-managed hosts file.\n"
                + "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::0\tip6-localnet\n"
                + "fe00::0\tip6-mcastprefix\n"
                + "fe00::1\tip6-allnodes\n"
                + "fe00::2\tip6-allrouters\n"
                + pod.ip() + "\t" + pod.hostname() + "\n";
    }

    /** The cluster DNS address: the tenth address of the service CIDR, as kubeadm and GKE pick it. */
    public static String dnsAddress(Cidr serviceCidr) {
        return io.kubenetlab.model.Topology.clusterDnsAddress(serviceCidr).toString();
    }

    /** ClusterFirst DNS policy: the cluster DNS, the namespace's search path and ndots:5. */
    public static String resolvConf(PodRecord pod, Cidr serviceCidr) {
        String d = Defaults.CLUSTER_DOMAIN;
        return "search " + pod.namespace() + ".svc." + d + " svc." + d + " " + d + "\n"
                + "nameserver " + dnsAddress(serviceCidr) + "\n"
                + "options ndots:5\n";
    }

    /** A machine's hosts file: localhost and its own name. */
    public static String machineHosts(String name, String address) {
        return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" + address + "\t" + name + "\n";
    }
}
