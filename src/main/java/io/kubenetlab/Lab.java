package io.kubenetlab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenetlab.kernel.Kernel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A running lab: a Kubernetes cluster's network built from real network namespaces, links and
 * kube-proxy rules, with real processes in its pods, and a Kubernetes API that kubectl and fabric8
 * use. Get one from {@link KubenetLab#fromFile}, {@link KubenetLab#builder()} or the JUnit 5
 * extension ({@link io.kubenetlab.junit5.KubenetLab}); {@link #close()} destroys it, leaving nothing
 * behind. Names of pods, nodes and hosts are the lab's own ({@code service-test-client1},
 * {@code node1}, {@code ext-client}).
 *
 * <p>A lab is safe to use from several threads: every call goes to the kernel or the lab's API.
 */
public final class Lab implements AutoCloseable {
    private final io.kubenetlab.lab.Lab lab;
    private final java.util.concurrent.atomic.AtomicBoolean destroyed = new java.util.concurrent.atomic.AtomicBoolean();

    Lab(io.kubenetlab.lab.Lab lab) {
        this.lab = Objects.requireNonNull(lab);
    }

    /**
     * The lab's name: its network namespaces are {@code knl-<name>-<machine or pod>}.
     *
     * @return the name
     */
    public String name() {
        return lab.name();
    }

    // ---------------------------------------------------------------- the Kubernetes API

    /**
     * The kubeconfig file of the lab's API, for kubectl ({@code KUBECONFIG=...}) or any client.
     *
     * @return the file's path; it lives as long as the lab
     */
    public Path kubeconfig() {
        return lab.kubeconfig();
    }

    /**
     * A fabric8 client of the lab's API, configured from its kubeconfig; the caller closes it.
     *
     * @return a new client
     */
    public KubernetesClient kubernetesClient() {
        return lab.kubernetesClient();
    }

    /**
     * The names of the lab's pods, in every namespace, as the lab holds them now.
     *
     * @return pod names, sorted
     */
    public List<String> pods() {
        return lab.pods().stream().map(p -> p.name()).sorted().toList();
    }

    /**
     * The names of the running pods of a Deployment in namespace {@code default} (none terminating), as
     * the lab holds them now.
     *
     * @param deployment the Deployment's name
     * @return its pods' names, sorted; empty if there is no such Deployment
     */
    public List<String> pods(String deployment) {
        var state = lab.state();
        var d = state.deployments.stream().filter(x -> "default".equals(x.namespace()) && deployment.equals(x.name())).findFirst();
        if (d.isEmpty()) return List.of();
        return state.pods.stream().filter(p -> d.get().owns(p) && !p.terminating()).map(p -> p.name()).sorted().toList();
    }

    /**
     * The names of a pod's containers, in the pod's order.
     *
     * @param pod the pod's name
     * @return its containers' names
     */
    public List<String> containers(String pod) {
        return lab.pod(pod).containers().stream().map(c -> c.name()).toList();
    }

    /**
     * A pod's IP address.
     *
     * @param pod the pod's name
     * @return its IPv4 address
     */
    public String podIp(String pod) {
        return lab.pod(pod).ip().toString();
    }

    /**
     * Waits until a Deployment of namespace {@code default} has exactly its desired replicas, all
     * ready, and its pods' declared TCP ports listen, so requests sent next are served.
     *
     * @param deployment the Deployment's name
     * @param timeout how long to wait before failing with what was seen
     */
    public void awaitReady(String deployment, Duration timeout) {
        lab.awaitReady(deployment, timeout);
    }

    /**
     * {@link #awaitReady(String, Duration)} for a Deployment of another namespace.
     *
     * @param namespace the Deployment's namespace
     * @param deployment the Deployment's name
     * @param timeout how long to wait
     */
    public void awaitReady(String namespace, String deployment, Duration timeout) {
        lab.awaitReady(namespace, deployment, timeout);
    }

    /**
     * {@code kubectl scale deployment}: returns once the Deployment has its replicas, all ready, and
     * every node's rules follow.
     *
     * @param deployment a Deployment of namespace {@code default}
     * @param replicas the new number of replicas
     */
    public void scale(String deployment, int replicas) {
        lab.scale(deployment, "default", replicas);
    }

    // ---------------------------------------------------------------- faults

    /**
     * Kills a pod as {@code kubectl delete pod NAME --grace-period=0 --force} does: it leaves its
     * Services' endpoints and every node's rules, and its processes get SIGKILL, at once. Returns once
     * no node's kube-proxy rules name its IP, so requests sent next never reach it. A Deployment's
     * replacement is not waited for ({@link #awaitReady(String, Duration)}); without a readiness probe
     * it joins the Service as soon as its process runs, as in Kubernetes.
     *
     * @param pod the pod's name
     */
    public void kill(String pod) {
        lab.kill(pod);
    }

    /**
     * Takes a node's or outside host's link to its network down ({@code ip link set eth0 down} in its
     * namespace); its routes through the link go with it, as the kernel does.
     *
     * @param machine a node or host
     */
    public void linkDown(String machine) {
        lab.linkDown(machine);
    }

    /**
     * Brings a machine's link up again, with the routes and neighbour entries the kernel dropped.
     *
     * @param machine a node or host
     */
    public void linkUp(String machine) {
        lab.linkUp(machine);
    }

    /**
     * Partitions two machines: netfilter drops every packet between them in both namespaces, both
     * ways (their addresses, the pod CIDRs they host, overlay traffic), in a table kube-proxy never
     * touches. Other machines still reach both.
     *
     * @param a a node or host
     * @param b another node or host
     */
    public void partition(String a, String b) {
        lab.partition(a, b);
    }

    /**
     * Removes exactly the drops {@link #partition(String, String)} made between two machines.
     *
     * @param a a node or host
     * @param b the other
     */
    public void heal(String a, String b) {
        lab.heal(a, b);
    }

    /**
     * Limits a target's egress with a tbf qdisc: a node's or host's uplink, or a pod's {@code eth0}.
     * A second call replaces the rate.
     *
     * @param target a node, host or pod
     * @param rate tc's syntax: {@code 1mbit}, {@code 500kbit}, {@code 100kbps}
     */
    public void rateLimit(String target, String rate) {
        lab.rateLimit(target, rate);
    }

    /**
     * Removes a target's rate limit; nothing limited, nothing done.
     *
     * @param target a node, host or pod
     */
    public void clearRateLimit(String target) {
        lab.clearRateLimit(target);
    }

    // ---------------------------------------------------------------- inside the lab

    /**
     * Runs a command in a pod (its namespaces, as its own processes), a node, an outside host or the
     * router, and captures what it printed: {@code lab.exec("client", "nslookup", "checkout")}.
     *
     * @param target a pod, node, host or {@code router}
     * @param argv the command and its arguments (no shell: use {@code "sh", "-c", "..."} for one)
     * @return exit code, stdout, stderr
     */
    public ExecResult exec(String target, String... argv) {
        Kernel.Result r = lab.exec(target, argv);
        return new ExecResult(r.exit(), r.stdout(), r.stderr());
    }

    /**
     * A load generator sending real connections from inside the lab.
     *
     * @return a new generator: say {@code from}, {@code to} and how many {@code times}, then {@code run()}
     */
    public Requests requests() {
        return new Requests(lab.requests());
    }

    /**
     * Traces one real TCP connection hop by hop, as {@code kubenetlab trace FROM TO} does.
     *
     * @param from a pod, node or host
     * @param to {@code service:port}, {@code ip:port}, {@code pod:port} or {@code host:port}
     * @return the trace
     */
    public Trace trace(String from, String to) {
        var r = lab.trace(from, to, null, 0);
        return new Trace(r.verdict(), r.answer(), r.text());
    }

    /**
     * What a pod's first container printed so far (or an outside host's command).
     *
     * @param pod the pod's name
     * @return its log
     */
    public String logs(String pod) {
        return lab.logs(pod);
    }

    /**
     * What a container of a pod printed so far.
     *
     * @param pod the pod's name
     * @param container the container's name
     * @return its log
     */
    public String logs(String pod, String container) {
        return lab.logs(pod, container);
    }

    /**
     * The lab controller's log file: its API server's and reconciler's messages.
     *
     * @return the file's path; it lives as long as the lab
     */
    public Path controllerLog() {
        return lab.controllerLog();
    }

    // ---------------------------------------------------------------- the end

    /** Removes everything the lab made: processes, namespaces with their links, rules, files. Does nothing the second time. */
    public void destroy() {
        if (!destroyed.compareAndSet(false, true)) return;
        try {
            lab.destroy();
        } finally {
            KubenetLab.forget(this);
        }
    }

    /** {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "Lab[" + name() + "]";
    }
}
