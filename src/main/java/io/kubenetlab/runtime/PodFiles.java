package io.kubenetlab.runtime;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.model.Defaults;

/**
 * The files kubelet writes for a pod: {@code /etc/hosts}, {@code /etc/resolv.conf} and its service
 * account's {@code token}, {@code ca.crt} and {@code namespace}.
 */
public final class PodFiles {
    /** Where a pod's service account files are mounted, as kubelet mounts the projected token volume. */
    public static final String SERVICE_ACCOUNT_MOUNT = io.kubenetlab.cluster.KubernetesService.SERVICE_ACCOUNT_DIR;

    private PodFiles() {}

    /**
     * The pod's service account directory ({@code <pod dir>/serviceaccount}): the lab's token and CA and
     * the pod's namespace. Null for a lab deployed before service accounts (nothing to mount).
     */
    public static java.nio.file.Path serviceAccount(io.kubenetlab.model.LabPaths lab, PodRecord pod, java.nio.file.Path podDir) {
        java.nio.file.Path from = lab.serviceAccount();
        if (!java.nio.file.Files.isRegularFile(from.resolve("token")) || !java.nio.file.Files.isRegularFile(from.resolve("ca.crt"))) return null;
        java.nio.file.Path dir = podDir.resolve("serviceaccount");
        try {
            java.nio.file.Files.createDirectories(dir);
            for (String f : java.util.List.of("token", "ca.crt")) {
                java.nio.file.Files.copy(from.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            java.nio.file.Files.writeString(dir.resolve("namespace"), pod.namespace());
        } catch (java.io.IOException e) {
            throw new io.kubenetlab.model.LabException("cannot write the service account files of pod " + pod.name() + " in " + dir + ": " + e.getMessage());
        }
        return dir;
    }

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
