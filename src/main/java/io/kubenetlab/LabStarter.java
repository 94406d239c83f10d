package io.kubenetlab;

import io.kubenetlab.lab.Progress;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Starts a lab from a lab file, with a name and the file's choices overridden where asked:
 * {@code KubenetLab.fromFile(path).withName("x").withProxyMode("nftables").start()}.
 * Without a name, the lab is named after the lab file's {@code name} with a random suffix
 * ({@code service-network-k3x9qa}), so labs of parallel tests never collide.
 */
public final class LabStarter {
    private final Path labFile;
    private String name;
    private String namePrefix;
    private String runtime;
    private String cni;
    private String proxyMode;
    private Duration readyTimeout;

    LabStarter(Path labFile) {
        this.labFile = Objects.requireNonNull(labFile, "labFile");
    }

    /**
     * Names the lab exactly (a DNS label of at most 40 characters); starting fails if a lab of that name exists.
     *
     * @param name the lab's name
     * @return this
     */
    public LabStarter withName(String name) {
        this.name = name;
        this.namePrefix = null;
        return this;
    }

    /**
     * Names the lab {@code prefix-xxxxxx}, six random characters after the prefix.
     *
     * @param prefix at most 33 characters: lower-case letters, digits and '-'
     * @return this
     */
    public LabStarter withNamePrefix(String prefix) {
        this.namePrefix = io.kubenetlab.lab.UniqueLabName.checkedPrefix(prefix);
        this.name = null;
        return this;
    }

    /**
     * Where machines and pods run instead of the lab file's choice.
     *
     * @param runtime {@code netns} or {@code docker}
     * @return this
     */
    public LabStarter withRuntime(String runtime) {
        this.runtime = runtime;
        return this;
    }

    /**
     * The network plugin instead of the lab file's choice.
     *
     * @param cni e.g. {@code routed}, {@code host-gw}, {@code vxlan}, {@code bgp}
     * @return this
     */
    public LabStarter withCni(String cni) {
        this.cni = cni;
        return this;
    }

    /**
     * kube-proxy's mode instead of the lab file's choice.
     *
     * @param proxyMode {@code iptables} or {@code nftables}
     * @return this
     */
    public LabStarter withProxyMode(String proxyMode) {
        this.proxyMode = proxyMode;
        return this;
    }

    /**
     * How long the start waits for the lab's workloads to be ready.
     *
     * @param timeout the limit
     * @return this
     */
    public LabStarter withReadyTimeout(Duration timeout) {
        this.readyTimeout = timeout;
        return this;
    }

    /**
     * Validates the lab file and the choices (a bad one fails with the file and field, before anything
     * is made), then builds the lab; a failure rolls back what was made.
     *
     * @return the running lab
     * @throws IllegalStateException when not run as root
     */
    public Lab start() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("kubenetlab labs need root (they build network namespaces, links and netfilter rules): run as root");
        }
        var topology = TopologyLoader.load(labFile);
        String labName = name != null ? name
                : io.kubenetlab.lab.UniqueLabName.next(namePrefix != null ? namePrefix : io.kubenetlab.lab.UniqueLabName.prefixOf(topology.name()));
        var options = io.kubenetlab.lab.Lab.Options.defaults().withName(labName).withRuntime(runtime).withCni(cni).withProxyMode(proxyMode)
                .withProgress(Progress.SILENT).withSession(owner());
        if (readyTimeout != null) options = options.withReadyTimeout(readyTimeout);
        KubenetLab.beforeFirstLab();
        Lab lab = new Lab(io.kubenetlab.lab.Lab.deploy(topology, options, io.kubenetlab.store.LabStore.fromEnvironment()));
        KubenetLab.opened(lab);
        return lab;
    }

    /** Who owns the lab, for the session file and the message of a later run that removes it. */
    private static String owner() {
        String cmd = ProcessHandle.current().info().commandLine().orElse("java");
        return cmd.length() > 300 ? cmd.substring(0, 300) + "..." : cmd;
    }
}
