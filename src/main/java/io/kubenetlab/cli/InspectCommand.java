package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.model.MachineRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.PodStatus;
import io.kubenetlab.output.Table;
import io.kubenetlab.kernel.Procs;
import io.kubenetlab.model.Topology;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "inspect", description = "Show a lab's machines and pods: role, addresses, status, namespace.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Override
    public Integer call() {
        System.out.print(render(labOption.open()));
        return 0;
    }

    static String render(Lab lab) {
        Topology t = lab.topology();
        Table machines = new Table(List.of("MACHINE", "ROLE", "ADDRESS", "POD CIDR", "STATUS", "NETNS"));
        for (MachineRecord m : lab.state().machines) {
            String address, cidr = "";
            switch (m.role()) {
                case ROUTER -> address = t.allNetworks().stream().map(n -> n.gateway().toString()).reduce((a, b) -> a + "," + b).orElse("");
                case NODE -> {
                    var n = t.node(m.name()).orElseThrow();
                    address = n.address().toString();
                    cidr = n.podCidr() + " (" + t.bridge() + " " + n.bridgeAddress() + ")";
                }
                case LOAD_BALANCER -> address = t.loadBalancer().address() + " (pool " + t.loadBalancer().poolFirst() + "-"
                        + t.loadBalancer().poolLast() + ")";
                default -> address = t.hosts().stream().filter(h -> h.name().equals(m.name())).findFirst().orElseThrow().address().toString();
            }
            machines.row(List.of(m.name(), m.role().name().toLowerCase().replace("_", "-"), address, cidr.isEmpty() ? "-" : cidr,
                    Procs.alive(m.sandbox()) ? "Running" : "Down", m.netns()));
        }
        Table pods = new Table(List.of("POD", "NODE", "IP", "STATUS", "READY", "HOSTNAME", "NETNS"));
        for (PodRecord p : lab.pods()) {
            PodStatus st = lab.status(p);
            long ready = st.containers().stream().filter(PodStatus.ContainerStatus::ready).count();
            pods.row(List.of(p.name(), p.node(), p.ip().toString(), io.kubenetlab.output.KubeView.statusColumn(st), ready + "/" + p.containers().size(),
                    p.hostname(), p.netns()));
        }
        return "Lab " + lab.name() + " (runtime " + lab.state().runtime + ", network plugin " + t.cni() + ", kube-proxy mode " + t.proxyMode()
                + ", state in " + io.kubenetlab.store.LabStore.fromEnvironment().labDir(lab.name()) + ")\n\n"
                + machines.render() + "\n" + (pods.isEmpty() ? "No pods.\n" : pods.render());
    }
}
