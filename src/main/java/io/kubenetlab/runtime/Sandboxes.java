package io.kubenetlab.runtime;

import io.kubenetlab.model.LabPaths;
import io.kubenetlab.model.LabState;
import io.kubenetlab.model.MachineRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.plan.AddressPlan;
import io.kubenetlab.plan.DaemonPlan;
import io.kubenetlab.plan.LabPlan;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.store.LabStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What both runtimes read off a plan about the sandboxes they make, and how they let go of deleted pods. */
public final class Sandboxes {
    private Sandboxes() {}

    /** The lab's machines in creation order (router, nodes, outside hosts, load balancer), as the state records them. */
    public static List<MachineRecord> machines(LabPlan plan) {
        return plan.infrastructure().stream()
                .map(m -> new MachineRecord(m.name(), MachineRecord.Role.valueOf(m.kind().name()), m.netns(), null)).toList();
    }

    /** A machine's own address (its first one: eth0's, or the gateway's on the node network), for its hosts file. */
    public static String address(LabPlan plan, String machine) {
        MachinePlan m = plan.machine(machine).orElseThrow();
        AddressPlan a = m.addresses().get(0);
        return a.cidr().substring(0, a.cidr().indexOf('/'));
    }

    /** A machine's daemon directory ({@code <machine dir>/<daemon>}) with the daemon's files written in it. */
    public static Path writeDaemon(Path machineDir, DaemonPlan d) {
        Path dir = machineDir.resolve(d.name());
        try {
            java.nio.file.Files.createDirectories(dir);
            for (var f : d.files().entrySet()) java.nio.file.Files.writeString(dir.resolve(f.getKey()), f.getValue());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    /** The pod's sysctls as sandbox.sh writes them: "PATH VALUE" lines under /proc/sys. */
    public static String sysctlFile(Map<String, String> sysctls) {
        return sysctls.entrySet().stream().map(e -> e.getKey().replace('.', '/') + " " + e.getValue() + "\n").collect(Collectors.joining());
    }

    /**
     * After deleted pods' processes and namespaces are gone: the nodes forget their MACs (a new pod may
     * get the same address), and their files and the namespace ledger's entries go too.
     */
    public static void release(LabState s, Path stateRoot, List<PodRecord> pods, PlanApplier applier) {
        applier.forgetPods(s.name, pods);
        LabPaths paths = new LabPaths(stateRoot.resolve(s.name));
        for (PodRecord p : pods) {
            LabStore.deleteTree(paths.pod(p));
            s.netns.remove(p.netns());
        }
    }
}
