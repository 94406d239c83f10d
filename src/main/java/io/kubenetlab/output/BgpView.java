package io.kubenetlab.output;

import java.util.ArrayList;
import java.util.List;

/** {@code kubenetlab bgp}: BIRD's protocol table and the kernel's BGP routes, per machine, in one table. */
public final class BgpView {
    private BgpView() {}

    /** One BGP session as {@code birdc show protocols} lists it. */
    public record Session(String protocol, String peer, String state, String since, String info) {}

    /**
     * The BGP rows of {@code birdc show protocols}:
     * {@code peer_10_100_0_3 BGP --- up 04:56:46.761 Established}. Our protocols are named after their
     * neighbour ({@code peer_A_B_C_D}); the info column is BIRD's session state or last error.
     */
    public static List<Session> sessions(String birdc) {
        List<Session> out = new ArrayList<>();
        for (String line : birdc.split("\n")) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 5 || !f[1].equals("BGP")) continue;
            String peer = f[0].startsWith("peer_") ? f[0].substring(5).replace('_', '.') : f[0];
            out.add(new Session(f[0], peer, f[3], f[4], f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    /** The table: one row per session, the machine's learnt routes on its first row. */
    public static String render(List<String> machines, List<List<Session>> sessions, List<List<String>> routes) {
        Table t = new Table(List.of("MACHINE", "PEER", "STATE", "SINCE", "INFO", "ROUTES LEARNT (KERNEL)"));
        for (int i = 0; i < machines.size(); i++) {
            List<Session> s = sessions.get(i);
            String learnt = routes.get(i).isEmpty() ? "-" : String.join(", ", routes.get(i));
            if (s.isEmpty()) t.row(List.of(machines.get(i), "-", "BIRD not answering", "-", "-", learnt));
            for (int j = 0; j < s.size(); j++) {
                Session x = s.get(j);
                t.row(List.of(j == 0 ? machines.get(i) : "", x.peer(), x.state(), x.since(), x.info().isEmpty() ? "-" : x.info(), j == 0 ? learnt : ""));
            }
        }
        return t.render();
    }
}
