package io.kubenetlab.cluster;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.images.ImageProfile;
import io.kubenetlab.k8s.Container;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.k8s.EndpointsManifest;
import io.kubenetlab.k8s.EnvVar;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.k8s.PodManifest;
import io.kubenetlab.k8s.PodSpec;
import io.kubenetlab.model.ContainerRecord;
import io.kubenetlab.model.DeploymentRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.net.Ipv4;
import io.kubenetlab.model.LabNames;
import io.kubenetlab.model.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The control plane for a deploy, with no I/O: Deployments become pods with Kubernetes-style names,
 * pods are scheduled and given addresses, images are resolved to netns profiles. The same input
 * always yields the same plan (names, nodes, IPs).
 */
public final class ClusterPlanner {
    /**
     * One manifest object, in the order deploy applies them: the pods it produces, or the admitted
     * Service, or the Endpoints or EndpointSlice written by hand (a slice is its {@code object}).
     */
    public record Workload(KubeObject object, DeploymentRecord deployment, List<PodRecord> pods, ServiceRecord service,
                           EndpointsManifest endpoints) {
        public String describe() {
            if (object == null && deployment != null) return "Deployment " + deployment.name();
            return object.kind() + " " + object.metadata().name();
        }

        public boolean hasPods() {
            return !pods.isEmpty() || deployment != null;
        }
    }

    private final String lab;
    private final Topology topology;
    private final ImageCatalog catalog;
    private final Path stateRoot;
    private final Scheduler scheduler;
    private final Ipam ipam = new Ipam();
    private final Set<String> podNames = new HashSet<>();
    private final Set<String> machineNames = new HashSet<>();
    private final ServiceAllocator services;
    private final java.time.Clock clock;

    /** {@code clock}: the creation time of what it plans (injected: the planner never reads the time itself). */
    public ClusterPlanner(String lab, Topology topology, ImageCatalog catalog, Path stateRoot, java.time.Clock clock) {
        this.clock = clock;
        this.lab = lab;
        this.topology = topology;
        this.catalog = catalog;
        this.stateRoot = stateRoot;
        this.scheduler = new Scheduler(topology.nodes().stream().map(Topology.NodeSpec::name).toList());
        topology.nodes().forEach(n -> ipam.addNode(n.name(), n.podCidr()));
        topology.nodes().forEach(n -> machineNames.add(n.name()));
        topology.hosts().forEach(h -> machineNames.add(h.name()));
        machineNames.add(Topology.ROUTER);
        // The tenth address is the cluster DNS's (kube-dns), as kubelet's resolv.conf says; the first is
        // the kubernetes Service's, never handed out to another (upstream reserves it for the API server).
        var lb = topology.loadBalancer();
        this.services = new ServiceAllocator(topology.serviceCidr(), topology.nodePortRange(),
                Set.of(Ipv4.parse(topology.clusterDnsAddress().toString()), KubernetesService.clusterIP(topology.serviceCidr())),
                lb == null ? null : lb.poolFirst(), lb == null ? null : lb.poolLast(), clock);
        if (lb != null) machineNames.add(Topology.LOAD_BALANCER);
        for (int i = 0; i < topology.hosts().size(); i++) {
            var h = topology.hosts().get(i);
            if (h.image() == null) continue;
            try {
                catalog.resolve(new Container("main", h.image(), h.command(), List.of(), List.of(), List.of()), catalog.profile(h.image()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(topology.file().toString(), "hosts[" + i + "].image", e.getMessage());
            }
        }
    }

    public List<Workload> plan(List<KubeObject> objects) {
        List<Workload> out = new ArrayList<>();
        for (KubeObject o : objects) {
            if (o instanceof Deployment d) out.add(deployment(d));
            else if (o instanceof PodManifest p) out.add(new Workload(p, null, List.of(pod(p.metadata(), p.spec(), null, null, p.source())), null, null));
            else if (o instanceof Service svc) out.add(new Workload(svc, null, List.of(), services.admit(svc), null));
            else if (o instanceof EndpointsManifest e) out.add(new Workload(e, null, List.of(), null, e));
            else if (o instanceof EndpointSliceManifest sl) out.add(new Workload(sl, null, List.of(), null, null));
        }
        return out;
    }

    private Workload deployment(Deployment d) {
        String rsName = d.metadata().name() + "-" + PodNamer.templateHash(canonical(d));
        DeploymentRecord rec = new DeploymentRecord(d.metadata().name(), d.metadata().namespace(), d.replicas(),
                d.selector(), rsName, clock.instant().toString(), d.templateMetadata(), d.template(), d.source(), 0);
        List<PodRecord> pods = replicas(rec, d.replicas());
        return new Workload(d, rec.withCreated(d.replicas()), pods, null, null);
    }

    /**
     * {@code count} new pods for a Deployment (scale up, or replacing a deleted pod), numbered from
     * {@code d.created()}: names, nodes and addresses are still deterministic.
     */
    public List<PodRecord> replicas(DeploymentRecord d, int count) {
        List<PodRecord> pods = new ArrayList<>();
        String rsName = d.replicaSetName();
        for (int i = 0; i < count; i++) {
            String name = uniqueName(rsName + "-", lab + "/" + rsName + "/" + (d.created() + i));
            Map<String, String> labels = new LinkedHashMap<>(d.templateMetadata().labels());
            labels.put("pod-template-hash", rsName.substring(d.name().length() + 1));
            ObjectMeta meta = new ObjectMeta(name, d.namespace(), labels, d.templateMetadata().annotations());
            pods.add(pod(meta, d.template(), "ReplicaSet", rsName, d.source()));
        }
        return pods;
    }

    /** A planner that knows what the lab already has: new pods get free names, nodes and addresses. */
    public static ClusterPlanner forState(LabState s, ImageCatalog catalog, Path stateRoot, java.time.Clock clock) {
        ClusterPlanner p = new ClusterPlanner(s.name, s.topology, catalog, stateRoot, clock);
        for (PodRecord pod : s.pods) {
            p.podNames.add(pod.name());
            if (!isSystem(pod.namespace())) p.scheduler.bound(pod.node());
            p.ipam.reserve(pod.node(), pod.ip());
        }
        for (ServiceRecord svc : s.services) p.services.restore(svc);
        return p;
    }

    private String uniqueName(String prefix, String seed) {
        for (int attempt = 0; ; attempt++) {
            String name = PodNamer.generate(prefix, attempt == 0 ? seed : seed + "#" + attempt);
            if (!podNames.contains(name) && !machineNames.contains(name)) return name;
        }
    }

    /**
     * System pods keep out of the workloads' way: the article's replicas must still be 10.0.1.2 and
     * 10.0.2.2 with the client on node 1.
     */
    static boolean isSystem(String namespace) {
        return "kube-system".equals(namespace);
    }

    /** The pod template's identity for its hash: labels and spec, in a stable order. */
    static String canonical(Deployment d) {
        return new TreeMap<>(d.templateMetadata().labels()) + "|" + new TreeMap<>(d.templateMetadata().annotations())
                + "|" + d.template();
    }

    private PodRecord pod(ObjectMeta meta, PodSpec spec, String ownerKind, String ownerName, String source) {
        String file = source.substring(0, source.lastIndexOf(':'));
        int line = Integer.parseInt(source.substring(source.lastIndexOf(':') + 1));
        if (machineNames.contains(meta.name())) {
            throw new ConfigException(file, line, "metadata.name", "pod name \"" + meta.name()
                    + "\" is already the name of a node or host of this lab (exec targets must be unique)");
        }
        if (!podNames.add(meta.name())) {
            throw new ConfigException(file, line, "metadata.name", "duplicate pod name \"" + meta.name() + "\"");
        }
        String node;
        boolean system = isSystem(meta.namespace());
        try {
            // kube-system pods (the cluster DNS) sit on the first node and do not count for spreading.
            node = system ? topology.nodes().get(0).name() : scheduler.schedule(spec.nodeName());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, line, "spec.nodeName", e.getMessage());
        }
        Ipv4 ip;
        try {
            ip = system ? ipam.allocateHighest(node) : ipam.allocate(node);
        } catch (IllegalStateException e) {
            throw new ConfigException(file, line, "metadata.name", "cannot place pod " + meta.name() + ": " + e.getMessage());
        }
        String hostname = PodRecord.hostnameOf(meta.name()); // the HOSTNAME variable matches the UTS name
        List<ContainerRecord> containers = new ArrayList<>();
        for (int i = 0; i < spec.containers().size(); i++) {
            Container c = spec.containers().get(i);
            String field = "spec.containers[" + i + "]";
            ImageProfile profile;
            List<String> argv;
            try {
                profile = catalog.profile(c.image());
                argv = catalog.resolve(c, profile);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, line, field + (e.getMessage().startsWith("image") ? ".image" : ".command"), e.getMessage());
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", ImageCatalog.podPath(stateRoot, lab, profile.shimDir()));
            env.put("HOSTNAME", hostname);
            env.put("HOME", "/root");
            env.putAll(KubernetesService.env(topology.serviceCidr()));
            for (EnvVar e : c.env()) env.put(e.name(), e.value());
            containers.add(new ContainerRecord(c.name(), c.image(), profile.name(), argv, env, c.ports(),
                    c.readinessProbe(), c.livenessProbe(), c.startupProbe(), c.preStop()));
        }
        String uid = UUID.nameUUIDFromBytes((lab + "/" + meta.namespace() + "/" + meta.name()).getBytes(StandardCharsets.UTF_8)).toString();
        return new PodRecord(meta.name(), meta.namespace(), uid, meta.labels(), ownerKind, ownerName, node, ip,
                LabNames.netnsName(lab, meta.name()), LabNames.vethName(lab, "pod/" + meta.namespace() + "/" + meta.name()),
                spec.restartPolicy(), containers, clock.instant().toString(), null, spec.terminationGracePeriodSeconds(), null);
    }
}
