package io.kubenetlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A lab built in code, on the article's address plan: nodes {@code node1..nodeN} at
 * {@code 10.100.0.2...} behind the gateway {@code 10.100.0.1}, pod networks {@code 10.0.N.0/24} of
 * {@code 10.0.0.0/14} on each node's {@code cbr0}, Services from {@code 10.3.240.0/20}, cluster DNS.
 *
 * <pre>{@code
 * try (Lab lab = KubenetLab.builder().nodes(3)
 *         .deployment("web", 2)          // python http servers on 8080 answering "Hello from <pod>"
 *         .service("web", 80, 8080)      // a ClusterIP Service over them
 *         .pod("client")                 // a pod to send requests from (sh, nc, nslookup)
 *         .start()) {
 *     lab.requests().from("client").to("web", 80).times(20).run();
 * }
 * }</pre>
 *
 * {@link #labFile()} shows the lab file this makes; {@link #manifest(String)} adds any manifest.
 */
public final class LabBuilder {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Hosts sit from .100 on the node network, as the article's ext-client does. */
    private static final int FIRST_HOST = 100;

    private String name = "lab";
    private int nodes = 2;
    private String runtime;
    private String cni;
    private String proxyMode;
    private final List<String> hosts = new ArrayList<>();
    private final List<String> manifests = new ArrayList<>();
    private final Set<String> objects = new LinkedHashSet<>();

    LabBuilder() {}

    /**
     * The start of the lab's name; a random suffix follows ({@code lab-k3x9qa} unless set).
     *
     * @param prefix lower-case letters, digits and '-', at most 33 characters
     * @return this
     */
    public LabBuilder name(String prefix) {
        this.name = io.kubenetlab.lab.UniqueLabName.checkedPrefix(prefix);
        return this;
    }

    /**
     * How many nodes ({@code node1..nodeN}); 2 unless set.
     *
     * @param n 1 to 250
     * @return this
     */
    public LabBuilder nodes(int n) {
        if (n < 1 || n > 250) throw new IllegalArgumentException("nodes(" + n + "): a lab has 1 to 250 nodes");
        this.nodes = n;
        return this;
    }

    /**
     * Where machines and pods run: {@code netns} (the default) or {@code docker}.
     *
     * @param runtime the runtime's name
     * @return this
     */
    public LabBuilder runtime(String runtime) {
        this.runtime = runtime;
        return this;
    }

    /**
     * The network plugin: {@code routed} (the default), {@code host-gw}, {@code vxlan}, {@code bgp} ...
     *
     * @param cni the plugin's name
     * @return this
     */
    public LabBuilder cni(String cni) {
        this.cni = cni;
        return this;
    }

    /**
     * kube-proxy's mode: {@code iptables} (the default) or {@code nftables}.
     *
     * @param proxyMode the mode
     * @return this
     */
    public LabBuilder proxyMode(String proxyMode) {
        this.proxyMode = proxyMode;
        return this;
    }

    /**
     * A Deployment of the article's web server: {@code replicas} pods labelled {@code app: NAME}, each
     * a python http server on port 8080 answering {@code <p>Hello from <pod's hostname></p>}.
     *
     * @param name the Deployment's name
     * @param replicas how many pods
     * @return this
     */
    public LabBuilder deployment(String name, int replicas) {
        if (replicas < 0) throw new IllegalArgumentException("deployment(" + name + "): replicas must not be negative: " + replicas);
        return add("Deployment", name, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                spec:
                  replicas: %2$d
                  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                    spec:
                      containers:
                        - name: web
                          image: python:2.7
                          command: ["/bin/bash"]
                          args: ["-c", "echo \\"<p>Hello from $(hostname)</p>\\" > index.html; python -m SimpleHTTPServer 8080"]
                          ports:
                            - name: http
                              containerPort: 8080
                """.formatted(name, replicas));
    }

    /**
     * A ClusterIP Service over the pods labelled {@code app: NAME} (a {@link #deployment}'s).
     *
     * @param name the Service's name (also its selector's {@code app} label)
     * @param port the Service's port
     * @param targetPort the pods' port
     * @return this
     */
    public LabBuilder service(String name, int port, int targetPort) {
        return add("Service", name, service(name, "ClusterIP", port, targetPort, ""));
    }

    /**
     * A NodePort Service over the pods labelled {@code app: NAME}: {@code nodePort} on every node.
     *
     * @param name the Service's name (also its selector's {@code app} label)
     * @param port the Service's port
     * @param targetPort the pods' port
     * @param nodePort the port on every node, in 30000-32767
     * @return this
     */
    public LabBuilder nodePortService(String name, int port, int targetPort, int nodePort) {
        checkPort("nodePort", nodePort);
        return add("Service", name, service(name, "NodePort", port, targetPort, "\n      nodePort: " + nodePort));
    }

    /**
     * A pod that runs nothing but is there to run commands and send requests from ({@code sh},
     * {@code nc}, {@code nslookup}, {@code wget}).
     *
     * @param name the pod's name
     * @return this
     */
    public LabBuilder pod(String name) {
        return add("Pod", name, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                spec:
                  containers:
                    - name: client
                      image: alpine
                      command: ["sleep", "infinity"]
                """.formatted(name));
    }

    /**
     * A machine outside the cluster on the node network ({@code 10.100.0.100} and up), as the
     * article's {@code ext-client}: to send requests to NodePorts from outside.
     *
     * @param name the host's name
     * @return this
     */
    public LabBuilder host(String name) {
        checkName("host", name);
        if (hosts.contains(name)) throw new IllegalArgumentException("host(" + name + "): added twice");
        if (hosts.size() >= 150) throw new IllegalArgumentException("host(" + name + "): at most 150 hosts");
        hosts.add(name);
        return this;
    }

    /**
     * Any Kubernetes manifest (one or more YAML documents), applied after the ones added before it.
     *
     * @param yaml the manifest's text
     * @return this
     */
    public LabBuilder manifest(String yaml) {
        if (yaml == null || yaml.isBlank()) throw new IllegalArgumentException("manifest(): empty");
        manifests.add(yaml);
        return this;
    }

    /**
     * The lab file this builder makes (its manifests are files {@code manifest-N.yaml} beside it).
     *
     * @return the lab file's YAML text
     */
    public String labFile() {
        StringBuilder sb = new StringBuilder();
        sb.append("name: ").append(name).append('\n');
        if (runtime != null) sb.append("runtime: ").append(runtime).append('\n');
        if (cni != null) sb.append("cni: ").append(cni).append('\n');
        if (proxyMode != null) sb.append("proxyMode: ").append(proxyMode).append('\n');
        sb.append("""
                nodeNetwork:
                  cidr: 10.100.0.0/24
                  gateway: 10.100.0.1
                clusterCIDR: 10.0.0.0/14
                serviceCIDR: 10.3.240.0/20
                nodePortRange: 30000-32767
                bridge: cbr0
                nodes:
                """);
        for (int i = 1; i <= nodes; i++) {
            sb.append("  - name: node").append(i).append("\n    address: 10.100.0.").append(i + 1)
                    .append("\n    podCIDR: 10.0.").append(i).append(".0/24\n");
        }
        if (!hosts.isEmpty()) sb.append("hosts:\n");
        for (int i = 0; i < hosts.size(); i++) {
            sb.append("  - name: ").append(hosts.get(i)).append("\n    address: 10.100.0.").append(FIRST_HOST + i).append('\n');
        }
        if (!manifests.isEmpty()) sb.append("manifests:\n");
        for (int i = 0; i < manifests.size(); i++) sb.append("  - manifest-").append(i + 1).append(".yaml\n");
        return sb.toString();
    }

    /**
     * Writes the lab file and its manifests to a private directory, starts the lab from them (see
     * {@link LabStarter#start()}) and removes the directory again.
     *
     * @return the running lab
     */
    public Lab start() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kubenetlab-builder-");
            return new LabStarter(writeTo(dir)).withNamePrefix(name).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the built lab's files", e);
        } finally {
            if (dir != null) io.kubenetlab.store.LabStore.deleteTree(dir);
        }
    }

    /**
     * Writes the lab file ({@code lab.yaml}) and its manifests into a directory.
     *
     * @param dir an existing directory
     * @return the lab file's path, for {@code kubenetlab deploy -t} or {@link KubenetLab#fromFile(Path)}
     * @throws IOException if a file cannot be written
     */
    public Path writeTo(Path dir) throws IOException {
        Path file = dir.resolve("lab.yaml");
        Files.writeString(file, labFile(), StandardCharsets.UTF_8);
        for (int i = 0; i < manifests.size(); i++) {
            Files.writeString(dir.resolve("manifest-" + (i + 1) + ".yaml"), manifests.get(i), StandardCharsets.UTF_8);
        }
        return file;
    }

    private LabBuilder add(String kind, String objectName, String yaml) {
        checkName(kind.toLowerCase(java.util.Locale.ROOT), objectName);
        if (!objects.add(kind + "/" + objectName)) throw new IllegalArgumentException(kind + " \"" + objectName + "\" added twice");
        manifests.add(yaml);
        return this;
    }

    private static String service(String name, String type, int port, int targetPort, String nodePortLine) {
        checkPort("port", port);
        checkPort("targetPort", targetPort);
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                spec:
                  type: %s
                  selector:
                    app: %s
                  ports:
                    - port: %d
                      targetPort: %d%s
                """.formatted(name, type, name, port, targetPort, nodePortLine);
    }

    private static void checkName(String what, String name) {
        if (name == null || !DNS_LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name \"" + name + "\": lower-case letters, digits and '-', starting and ending with a"
                    + " letter or digit, at most 63 characters");
        }
    }

    private static void checkPort(String field, int port) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException(field + " " + port + ": not a port (1-65535)");
    }
}
