package io.kubenetlab.lab;

import io.kubenetlab.cluster.ClusterPlanner.Workload;
import io.kubenetlab.cluster.EndpointsController;
import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.ObjectMetaFields;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.store.LabStore;
import io.kubenetlab.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The article's lab ({@code topologies/service-network.yaml}) on a {@link FakeKernel} and a
 * {@link FakeRuntime}, in a state directory of the test's own: machines created, then every
 * workload's pods, then the Services and the database's manual Endpoints, as deploy would leave it
 * before its first "Program Services" step. Nothing is synced yet: the kernel has seen the wiring
 * only. For tests outside this package it opens the engine's package-private constructor.
 */
public final class FakeLab {
    public static final Path ARTICLE = Path.of("topologies/service-network.yaml");

    public final LabStore store;
    public final FakeKernel kernel = new FakeKernel();
    public final FakeRuntime runtime;
    public final Blueprint blueprint;
    public final LabEngine engine;

    private FakeLab(Path stateRoot, String name) {
        store = new LabStore(stateRoot);
        runtime = new FakeRuntime(stateRoot);
        blueprint = Blueprint.of(TopologyLoader.load(ARTICLE), name, null, null, null, store);
        store.claim(name);
        LabState s = new LabState();
        s.name = name;
        s.runtime = blueprint.topology().runtime();
        s.createdAt = Instant.now().toString();
        s.topology = blueprint.topology();
        for (ManifestLoader.Parsed pm : blueprint.manifests()) {
            var m = pm.object().metadata();
            s.manifests.put(LabState.manifestKey(pm.object().kind(), m.namespace(), m.name()), ObjectMetaFields.userPart(pm.json()));
        }
        engine = new LabEngine(store, kernel, s, runtime);
        engine.save();
    }

    /** The article's lab, deployed on fakes (see the class comment). */
    public static FakeLab article(Path stateRoot, String name) {
        FakeLab lab = new FakeLab(stateRoot, name);
        LabState s = lab.state();
        lab.engine.createMachines();
        List<PodRecord> pods = new ArrayList<>();
        for (Workload w : lab.blueprint.workloads()) {
            if (w.deployment() != null) s.deployments.add(w.deployment());
            for (PodRecord p : w.pods()) s.putPod(p);
            pods.addAll(w.pods());
        }
        lab.engine.createPodSandboxes(pods);
        for (Workload w : lab.blueprint.workloads()) {
            if (w.service() != null) s.services.add(w.service());
            if (w.endpoints() != null) s.manualEndpoints.put(w.endpoints().metadata().key(), EndpointsController.fromManifest(w.endpoints()));
        }
        lab.engine.save();
        return lab;
    }

    public LabState state() {
        return engine.state();
    }

    /** A pod by name. */
    public PodRecord pod(String name) {
        return state().pod(name).orElseThrow(() -> new AssertionError("no pod " + name));
    }

    /** The pods of a Deployment of the default namespace (e.g. service-test), in the state's order. */
    public List<PodRecord> podsOf(String deployment) {
        LabState s = state();
        var d = s.deployments.stream().filter(x -> x.name().equals(deployment) && x.namespace().equals("default")).findFirst().orElseThrow();
        return s.pods.stream().filter(d::owns).toList();
    }

    /** The network namespace of a machine or pod of this lab. */
    public String netns(String object) {
        return io.kubenetlab.model.LabNames.netnsName(state().name, object);
    }
}
