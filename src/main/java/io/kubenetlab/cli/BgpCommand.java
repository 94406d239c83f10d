package io.kubenetlab.cli;

import io.kubenetlab.lab.Lab;
import io.kubenetlab.output.BgpView;
import io.kubenetlab.plan.MachinePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "bgp", description = {
        "The bgp network plugin's BGP sessions: per machine (nodes and the gateway) its peers, their state (birdc show",
        "protocols) and the routes it learnt into the kernel (proto bird).",
        "  kubenetlab bgp stop NODE    freeze that machine's BIRD (peers withdraw its routes when their hold timer, 9 s, expires)",
        "  kubenetlab bgp start NODE   thaw it (sessions come back within seconds)"})
final class BgpCommand implements Callable<Integer> {
    static final String BIRD = "bird";

    @Mixin
    LabOption labOption;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", description = "stop or start (none: show the sessions)")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MACHINE")
    String machine;

    @Override
    public Integer call() {
        Lab lab = labOption.open();
        List<MachinePlan> birds = lab.plan().infrastructure().stream().filter(m -> m.daemons().stream().anyMatch(d -> d.name().equals(BIRD))).toList();
        if (birds.isEmpty()) {
            throw new IllegalArgumentException("lab " + lab.name() + " runs no BGP daemon (its network plugin is " + lab.topology().cni()
                    + "; deploy with --cni bgp)");
        }
        if (action != null) {
            if (!List.of("stop", "start").contains(action)) throw new IllegalArgumentException("unknown action \"" + action + "\" (stop or start)");
            if (machine == null) throw new IllegalArgumentException("name the machine: kubenetlab bgp " + action + " node1");
            boolean done = lab.pauseDaemon(machine, BIRD, action.equals("stop"));
            if (!done) throw new IllegalArgumentException("the BIRD of " + machine + " is not running");
            System.out.println(action.equals("stop")
                    ? "BIRD on " + machine + " frozen: its peers withdraw its routes when their hold timer (9 s) expires"
                    : "BIRD on " + machine + " thawed: its sessions come back within seconds");
            return 0;
        }
        List<String> names = new ArrayList<>();
        List<List<BgpView.Session>> sessions = new ArrayList<>();
        List<List<String>> routes = new ArrayList<>();
        for (MachinePlan m : birds) {
            String socket = lab.daemonDir(m.name(), BIRD).resolve("bird.ctl").toString();
            names.add(m.name());
            // A frozen BIRD accepts the connection and never answers: ask with a deadline, inside the machine.
            sessions.add(BgpView.sessions(lab.execCapture(m.name(), List.of("timeout", "2", "birdc", "-s", socket, "show", "protocols")).stdout()));
            routes.add(lab.liveRoutes(m.name()).stream().filter(r -> "bird".equals(r.proto()))
                    .map(r -> r.dst() + (r.via().isEmpty() ? " (unreachable)" : " via " + String.join(",", r.via()))).toList());
        }
        System.out.print(BgpView.render(names, sessions, routes));
        System.out.printf("%nBIRD's control sockets: %s/<machine>/bird/bird.ctl (kubenetlab exec node1 -- birdc -s <socket> show protocols all)%n",
                lab.daemonDir("x", BIRD).getParent().getParent());
        return 0;
    }
}
