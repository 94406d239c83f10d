package io.kubenetlab.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ObjectCache;
import io.kubenetlab.api.Resources;
import io.kubenetlab.model.EventRecord;
import io.kubenetlab.model.PodRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's Deployment logic on the article's lab, without root (a fake runtime and kernel):
 * scaling through the API backend creates pods named after the ReplicaSet, addressed from their
 * node's pod CIDR and scheduled on the node with fewer pods; scaling down removes the newest first; a
 * deleted pod or one whose sandbox died is replaced; each step leaves kubelet's and the controllers' events.
 */
class ControllerTest extends ControllerOnArticleLab {
    static final String ALPHABET = "[bcdfghjklmnpqrstvwxz2456789]";

    ControllerTest() {
        super("ct");
    }
    String replicaSet;
    List<PodRecord> originals;

    @BeforeEach
    void start() {
        originals = lab.podsOf("service-test");
        replicaSet = originals.get(0).ownerName();
        assertThat(originals).hasSize(2);
        assertThat(replicaSet).matches("service-test-" + ALPHABET + "+");
    }

    /** As {@code kubectl scale} ends up: the Deployment as served, with other replicas, through the API backend. */
    void scale(int replicas) {
        ObjectNode d = controller.cache().get(Resources.DEPLOYMENTS, ObjectCache.key("default", "service-test")).deepCopy();
        ((ObjectNode) d.get("spec")).put("replicas", replicas);
        ObjectNode served = controller.update(Resources.DEPLOYMENTS, "default", "service-test", d, false);
        assertThat(served.path("spec").path("replicas").asInt()).isEqualTo(replicas);
    }

    /** Pods the fake runtime created since the lab was deployed. */
    List<String> createdSinceDeploy() {
        List<String> all = lab.runtime.created();
        return all.subList(lab.blueprint.pods().size(), all.size());
    }

    List<EventRecord> events(String reason, String object) {
        return lab.state().events.stream().filter(e -> e.reason().equals(reason) && e.objectName().equals(object)).toList();
    }

    /** Workload pods per node (kube-system's do not count for spreading). */
    Map<String, Integer> load() {
        Map<String, Integer> out = new TreeMap<>();
        for (PodRecord p : lab.state().pods) if (!p.namespace().equals("kube-system")) out.merge(p.node(), 1, Integer::sum);
        return out;
    }

    /** The terminator sends SIGTERM on a thread of its own, right after the tick that marked the pods. */
    void awaitSigterm(List<String> pods) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!lab.runtime.terminated().containsAll(pods) && System.currentTimeMillis() < deadline) io.kubenetlab.kernel.Procs.sleep(5);
        assertThat(lab.runtime.terminated()).containsAll(pods);
    }

    @Test
    void scalingUpCreatesAPodOnTheNodeWithFewerPodsWithAnAddressOfItsPodCidr() {
        assertThat(load()).containsExactly(Map.entry("node1", 3), Map.entry("node2", 2)); // A, client1, api-pod | B, client2

        scale(3);
        controller.tick();

        assertThat(createdSinceDeploy()).hasSize(1);
        PodRecord p = lab.pod(createdSinceDeploy().get(0));
        assertThat(p.name()).matches(replicaSet + "-" + ALPHABET + "{5}");
        assertThat(p.node()).isEqualTo("node2");
        assertThat(lab.state().topology.node("node2").orElseThrow().podCidr().contains(p.ip())).isTrue();
        assertThat(p.ip()).hasToString("10.0.2.4"); // lowest free after the bridge (.1), server B (.2) and client2 (.3)
        assertThat(lab.podsOf("service-test")).hasSize(3);
        // its veth was plugged on node2 through the kernel, and the Service now has three endpoints
        assertThat(lab.kernel.ipLinesIn(lab.netns("node2"))).anyMatch(l -> l.contains("peer name eth0") && l.endsWith("netns " + p.netns()));
        assertThat(lab.state().endpoints.get("default/service-test")).extracting(e -> e.ip().toString())
                .containsExactly("10.0.1.2", "10.0.2.2", "10.0.2.4");
        assertThat(events("ScalingReplicaSet", "service-test")).extracting(EventRecord::message)
                .contains("Scaled up replica set " + replicaSet + " from 2 to 3");
        assertThat(events("Scheduled", p.name())).extracting(EventRecord::message)
                .containsExactly("Successfully assigned default/" + p.name() + " to node2");
    }

    @Test
    void scalingDownRemovesTheNewestPodsFirst() {
        scale(3);
        controller.tick();
        scale(4);
        controller.tick();
        List<String> added = createdSinceDeploy();
        assertThat(added).hasSize(2).doesNotHaveDuplicates();

        scale(2);
        controller.tick();

        // Terminating first: still there with a deletion, out of the ReplicaSet's count, no replacement made.
        assertThat(lab.runtime.deleted()).isEmpty();
        for (String gone : added) assertThat(lab.pod(gone).terminating()).isTrue();
        controller.tick();
        assertThat(createdSinceDeploy()).hasSize(2);
        // Their processes exit on SIGTERM: the next tick removes them.
        awaitSigterm(added);
        added.forEach(p -> lab.runtime.exit(p, 0));
        controller.tick();

        assertThat(lab.runtime.deleted()).containsExactlyInAnyOrderElementsOf(added);
        assertThat(lab.podsOf("service-test")).extracting(PodRecord::name).containsExactlyElementsOf(originals.stream().map(PodRecord::name).toList());
        assertThat(events("ScalingReplicaSet", "service-test")).extracting(EventRecord::message)
                .contains("Scaled down replica set " + replicaSet + " from 4 to 2");
        for (String gone : added) {
            assertThat(events("Killing", gone)).extracting(EventRecord::message).containsExactly("Stopping container simple-http");
        }
    }

    @Test
    void aDeletedPodIsReplacedByANewOne() {
        PodRecord victim = lab.podsOf("service-test").stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();

        // Forced (--grace-period=0 --force): gone at once, its address free for the replacement.
        controller.delete(Resources.PODS, "default", victim.name(), new io.kubenetlab.api.DeleteOptions(0L, null), false);

        assertThat(lab.runtime.deleted()).containsExactly(victim.name());
        assertThat(lab.state().pod(victim.name())).isEmpty();
        assertThat(events("Killing", victim.name())).hasSize(1);
        // its node forgets its MAC: a new pod may get the same address
        assertThat(lab.kernel.ipLinesIn(lab.netns("node1"))).contains("neigh flush to " + victim.ip());

        controller.tick();

        assertThat(createdSinceDeploy()).hasSize(1);
        PodRecord replacement = lab.pod(createdSinceDeploy().get(0));
        assertThat(replacement.name()).isNotEqualTo(victim.name()).matches(replicaSet + "-" + ALPHABET + "{5}");
        // the freed place: node1 (2 pods each now, a tie goes to the first node) and its lowest free address
        assertThat(replacement.node()).isEqualTo("node1");
        assertThat(replacement.ip()).isEqualTo(victim.ip());
        assertThat(lab.podsOf("service-test")).hasSize(2);
        assertThat(events("Scheduled", replacement.name())).hasSize(1);
        assertThat(events("ScalingReplicaSet", "service-test")).extracting(EventRecord::message)
                .contains("Scaled up replica set " + replicaSet + " from 1 to 2");
    }

    @Test
    void aPodWhoseSandboxDiedIsReplacedWithASandboxChangedEvent() {
        PodRecord victim = lab.podsOf("service-test").get(1);

        lab.runtime.killSandbox(lab.state(), victim.name());
        controller.tick();

        assertThat(lab.runtime.deleted()).containsExactly(victim.name());
        assertThat(events("SandboxChanged", victim.name())).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo("Warning"))
                .satisfies(e -> assertThat(e.message()).isEqualTo("Pod sandbox died, it will be replaced"));
        assertThat(createdSinceDeploy()).hasSize(1);
        assertThat(lab.podsOf("service-test")).extracting(PodRecord::name).hasSize(2).doesNotContain(victim.name()).contains(createdSinceDeploy().get(0));
    }

    @Test
    void aPodTurningUnreadyReachesTheRulesBeforeTheReplicaSetStartsAPodInTheSameTick() {
        long before = programmed();
        scale(3);
        lab.runtime.setReady(originals.get(0).name(), false);
        lab.kernel.clear();

        controller.tick();

        List<io.kubenetlab.lab.FakeKernel.Command> commands = lab.kernel.commands();
        int firstRestore = commands.indexOf(commands.stream().filter(io.kubenetlab.lab.FakeKernel.Command::isRestore).findFirst().orElseThrow());
        int firstPlug = commands.indexOf(commands.stream().filter(c -> c.batchLines().stream().anyMatch(l -> l.contains("peer name eth0")))
                .findFirst().orElseThrow());
        assertThat(firstRestore).as("the unready pod leaves the rules, then the new pod is plugged").isLessThan(firstPlug);
        assertThat(createdSinceDeploy()).hasSize(1);
        // Counted once: the readiness change (the new pod, ready at once here, is a second change after it).
        assertThat(programmed()).isBetween(before + 1, before + 2);
    }

    @Test
    void aClientPodsRemovalIsNoNetworkProgrammingSample() {
        PodRecord client = lab.state().pods.stream().filter(p -> p.name().equals("service-test-client1")).findFirst().orElseThrow();
        long before = programmed();

        controller.delete(Resources.PODS, "default", client.name(), new io.kubenetlab.api.DeleteOptions(0L, null), false);

        assertThat(lab.runtime.deleted()).containsExactly(client.name());
        assertThat(programmed()).as("no Service changed: nothing for kube-proxy's latency to count").isEqualTo(before);
    }

    /** The controller's count of network programming samples, from its metrics. */
    long programmed() {
        return controller.metrics(0).lines().filter(l -> l.startsWith("kubenetlab_network_programming_duration_seconds_count"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void aTickWithNothingChangedDoesNothing() {
        lab.kernel.clear();

        controller.tick();

        assertThat(lab.runtime.created()).hasSize(lab.blueprint.pods().size());
        assertThat(lab.runtime.deleted()).isEmpty();
        assertThat(lab.kernel.commands()).isEmpty();
    }

    @Test
    void aControllerKilledBeforeAPodsSandboxWasMadeMakesItWhenItStartsAgainWithTheSameNameAndIp() {
        // The killed controller saved the pod (its name, IP, node) but not the sandbox it was making.
        PodRecord p = lab.podsOf("service-test").get(0);
        lab.state().putPod(p.withSandbox(null));
        lab.engine.save();
        controller.close();

        controller = new Controller(lab.engine);

        PodRecord again = lab.pod(p.name());
        assertThat(again.sandbox()).isNotNull();
        assertThat(again.ip()).isEqualTo(p.ip());
        assertThat(lab.runtime.deleted()).containsExactly(p.name()); // the half-made sandbox first
        assertThat(createdSinceDeploy()).containsExactly(p.name());
        assertThat(lab.podsOf("service-test")).hasSize(2);
    }
}
