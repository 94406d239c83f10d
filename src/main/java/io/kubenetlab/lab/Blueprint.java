package io.kubenetlab.lab;

import io.kubenetlab.cluster.ClusterPlanner;
import io.kubenetlab.cluster.ClusterPlanner.Workload;
import io.kubenetlab.cluster.EndpointSlices;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.cluster.KubernetesService;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.model.EndpointSliceRecord;
import io.kubenetlab.cni.CniPlugins;
import io.kubenetlab.dns.DnsAddon;
import io.kubenetlab.images.ImageCatalog;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.Defaults;
import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.LabException;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import io.kubenetlab.planner.LabPlanner;
import io.kubenetlab.proxy.ProxyBackends;
import io.kubenetlab.store.LabStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lab as its file and manifests describe it, validated and planned before anything touches the
 * kernel: the topology with the command line's overrides, the parsed manifests, and the workloads in
 * the order deploy applies them (pods named, scheduled and addressed; Services admitted). Deploy
 * builds it; {@code kubenetlab plan -t} prints its plan without root.
 */
public record Blueprint(String name, Topology topology, List<ManifestLoader.Parsed> manifests, List<Workload> workloads) {

    /** Validates the lab file's lab with these overrides (null: the file's own). Reads files, changes nothing. */
    public static Blueprint of(Topology topology, String name, String runtime, String cni, String proxyMode, LabStore store) {
        String labName = name != null ? name : topology.name();
        if (name != null) topology = topology.withName(name);
        if (runtime != null) {
            if (!Defaults.RUNTIMES.contains(runtime)) {
                throw new LabException("--runtime: unknown runtime \"" + runtime + "\" (known: " + String.join(", ", Defaults.RUNTIMES) + ")");
            }
            topology = topology.withRuntime(runtime);
        }
        if (cni != null) {
            if (!CniPlugins.names().contains(cni)) {
                throw new LabException("--cni: unknown network plugin \"" + cni + "\" (known: " + String.join(", ", CniPlugins.names()) + ")");
            }
            topology = topology.withCni(cni);
        }
        if (proxyMode != null) {
            if (!ProxyBackends.modes().contains(proxyMode)) {
                throw new LabException("--proxy-mode: unknown kube-proxy mode \"" + proxyMode + "\" (known: " + String.join(", ", ProxyBackends.modes()) + ")");
            }
            topology = topology.withProxyMode(proxyMode);
        }
        // The add-on's manifests are kept with the lab's own (the API serves them back, template included).
        List<ManifestLoader.Parsed> parsed = new ArrayList<>(DnsAddon.parsed(topology.clusterDnsAddress().toString(),
                Reconciler.zoneFile(store, labName), Defaults.CLUSTER_DOMAIN,
                SandboxClasspath.of(io.kubenetlab.kernel.SelfJar.classpath(), store.labDir(labName))));
        List<KubeObject> objects = new ArrayList<>(parsed.stream().map(ManifestLoader.Parsed::object).toList());
        // After the add-ons (kube-system comes up before the lab waits for its outside hosts), before the
        // lab's manifests: a manifest asking for its ClusterIP finds it taken.
        objects.addAll(kubernetesService(topology));
        List<ManifestLoader.Parsed> own = ManifestLoader.loadParsed(topology.manifests());
        own.forEach(pm -> objects.add(pm.object()));
        parsed.addAll(own);
        List<Workload> workloads = new ClusterPlanner(labName, topology, ImageCatalog.ofHost(), store.root(), java.time.Clock.systemUTC()).plan(objects);
        return new Blueprint(labName, topology, parsed, workloads);
    }

    /** The default/kubernetes Service and its Endpoints (the API server, as the controller serves it in the lab). */
    public static List<KubeObject> kubernetesService(Topology topology) {
        List<KubeObject> out = new ArrayList<>();
        for (io.kubenetlab.config.YamlNode doc : io.kubenetlab.config.YamlNode.loadAll(KubernetesService.SOURCE,
                new java.io.StringReader(KubernetesService.manifests(topology)))) {
            out.add(ManifestLoader.parse(doc));
        }
        return out;
    }

    public List<PodRecord> pods() {
        return workloads.stream().flatMap(w -> w.pods().stream()).toList();
    }

    /**
     * The plan of the lab once deployed and healthy: every pod ready (clients that run to completion
     * are never a Service's endpoints here), every Service with its endpoints.
     */
    public LabPlanner.Inputs healthy() {
        List<ServiceRecord> services = new ArrayList<>();
        Map<String, List<EndpointRecord>> manual = new TreeMap<>();
        List<EndpointSliceRecord> slices = new ArrayList<>();
        for (Workload w : workloads) {
            if (w.service() != null) services.add(w.service());
            if (w.endpoints() != null) manual.put(w.endpoints().metadata().key(), EndpointsController.fromManifest(w.endpoints()));
            if (w.object() instanceof EndpointSliceManifest sl) slices.add(EndpointSlices.fromManifest(sl, java.time.Instant.EPOCH.toString()));
        }
        List<EndpointsController.PodState> ready = pods().stream().map(p -> new EndpointsController.PodState(p, true, false)).toList();
        Map<String, List<EndpointRecord>> eps = new TreeMap<>();
        for (ServiceRecord s : services) {
            List<EndpointRecord> base = s.selector() != null ? EndpointsController.forService(s, ready) : manual.getOrDefault(s.key(), List.of());
            eps.put(s.key(), EndpointSlices.merge(s.namespace(), s.name(), base, slices));
        }
        return new LabPlanner.Inputs(name, topology, pods(), services, eps);
    }
}
