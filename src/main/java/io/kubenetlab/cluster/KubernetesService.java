package io.kubenetlab.cluster;

import io.kubenetlab.model.Defaults;
import io.kubenetlab.model.Topology;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code default/kubernetes} Service every cluster has, as the API server's own reconciler writes it
 * (upstream pkg/controlplane/controller/kubernetesservice and pkg/controlplane/reconcilers): ClusterIP the
 * service CIDR's first address, port 443 {@code https}, no selector, Endpoints naming the API server. Here
 * the API server is the lab's controller, which also listens on the first node's address (the lab's
 * "control-plane node") at port 6443.
 */
public final class KubernetesService {
    public static final String NAME = "kubernetes";
    public static final String NAMESPACE = "default";
    public static final int PORT = 443;
    /** The API server's secure port, as kubeadm's: what the Endpoints name. */
    public static final int API_PORT = 6443;
    /** Where kubelet mounts a pod's service account token, CA and namespace. */
    public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** Marks the objects below in error messages, as the DNS add-on's source does. */
    public static final String SOURCE = "<kubernetes Service>";

    private KubernetesService() {}

    /** Upstream's ServiceIPRange first address (GetIndexedIP(serviceIPRange, 1)): 10.3.240.1 for 10.3.240.0/20. */
    public static Ipv4 clusterIP(Cidr serviceCidr) {
        return serviceCidr.address(1);
    }

    /** The in-lab address of the API server: the first node's, as a kubeadm control-plane node advertises its own. */
    public static Ipv4 endpointAddress(Topology t) {
        return t.nodes().get(0).address();
    }

    public static boolean is(String namespace, String name) {
        return NAMESPACE.equals(namespace) && NAME.equals(name);
    }

    /** The Service and its Endpoints, as manifests (selector-less: the Endpoints are the API server's). */
    public static String manifests(Topology t) {
        // Upstream's Endpoints carry skip-mirror (the API server writes the slice itself); here the
        // mirroring view names that slice "kubernetes" (EndpointSliceController.name).
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: kubernetes
                  namespace: default
                  labels: {component: apiserver, provider: kubernetes}
                spec:
                  type: ClusterIP
                  clusterIP: %1$s
                  sessionAffinity: None
                  ports:
                    - {name: https, port: %2$d, protocol: TCP, targetPort: %3$d}
                ---
                apiVersion: v1
                kind: Endpoints
                metadata:
                  name: kubernetes
                  namespace: default
                  labels: {endpointslice.kubernetes.io/skip-mirror: "true"}
                subsets:
                  - addresses: [{ip: %4$s}]
                    ports: [{name: https, port: %3$d, protocol: TCP}]
                """.formatted(clusterIP(t.serviceCidr()), PORT, API_PORT, endpointAddress(t));
    }

    /**
     * The names the API server's certificate must hold for every way a client reaches it: loopback (the
     * kubeconfig), the in-lab endpoint, the ClusterIP and the Service's DNS names (as kubeadm's apiserver
     * certificate: kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local).
     */
    public static List<String> certificateNames(Topology t) {
        String svc = NAME + "." + NAMESPACE + ".svc";
        return List.of("127.0.0.1", "localhost", clusterIP(t.serviceCidr()).toString(), endpointAddress(t).toString(),
                NAME, NAME + "." + NAMESPACE, svc, svc + "." + Defaults.CLUSTER_DOMAIN);
    }

    /**
     * The variables kubelet gives every container for the master Service (upstream pkg/kubelet's
     * getServiceEnvVarMap: the kubernetes Service is always included, whatever enableServiceLinks says).
     */
    public static Map<String, String> env(Cidr serviceCidr) {
        String ip = clusterIP(serviceCidr).toString();
        String tcp = "tcp://" + ip + ":" + PORT;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBERNETES_SERVICE_HOST", ip);
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(PORT));
        env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(PORT));
        env.put("KUBERNETES_PORT", tcp);
        env.put("KUBERNETES_PORT_443_TCP", tcp);
        env.put("KUBERNETES_PORT_443_TCP_PROTO", "tcp");
        env.put("KUBERNETES_PORT_443_TCP_PORT", Integer.toString(PORT));
        env.put("KUBERNETES_PORT_443_TCP_ADDR", ip);
        return env;
    }
}
