package io.kubenetlab.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.KernelException;
import io.kubenetlab.plan.AddressPlan;
import io.kubenetlab.plan.FdbEntry;
import io.kubenetlab.plan.NeighbourEntry;
import io.kubenetlab.plan.LinkPlan;
import io.kubenetlab.plan.LiveMachine;
import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.RoutePlan;
import io.kubenetlab.plan.Ruleset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a lab namespace's kernel state back in the plan's terms: {@code ip -j} for links, addresses
 * and routes, sysctl for the values the plan sets, the ruleset backends' save tools for rules. The
 * parsers are pure (tested on captured output); the readers go through the kernel gateway.
 */
public final class LiveState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveState() {}

    /** Everything {@link io.kubenetlab.plan.PlanDiff} compares, for one planned machine or pod. */
    public static LiveMachine observe(Kernel kernel, MachinePlan plan, Path lockFile) {
        if (!Files.exists(Path.of("/run/netns", plan.netns()))) return LiveMachine.missing(plan.name());
        List<String> shown;
        try {
            shown = show(kernel, plan.netns(), "-d");
        } catch (KernelException e) {
            return LiveMachine.missing(plan.name());
        }
        String addr = shown.get(0);
        Map<String, String> live = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, StringBuilder> byBackend = new LinkedHashMap<>();
        for (Ruleset r : plan.rulesets()) byBackend.computeIfAbsent(r.backend(), b -> new StringBuilder()).append(r.text());
        byBackend.forEach((backend, text) -> {
            live.put(backend, kernel.saveRuleset(plan.netns(), backend));
            expected.put(backend, kernel.canonicalRuleset(backend, text.toString(), lockFile));
        });
        List<FdbEntry> fdb = plan.fdb().isEmpty() && plan.links().stream().noneMatch(l -> l.vxlan() != null) ? List.of() : fdb(kernel, plan.netns());
        return new LiveMachine(plan.name(), true, links(addr), addresses(addr), routes(shown.get(1)), neighbours(shown.get(2)), fdb,
                kernel.readSysctls(plan.netns(), plan.sysctls().keySet()), live, expected);
    }

    /** What a sync changes in a namespace besides rules: addresses, (IPv4) routes, permanent neighbours, read with one {@code ip} process. */
    public record Tables(List<AddressPlan> addresses, List<RoutePlan> routes, List<NeighbourEntry> neighbours) {}

    public static Tables tables(Kernel kernel, String netns) {
        List<String> shown = show(kernel, netns);
        return new Tables(addresses(shown.get(0)), routes(shown.get(1)), neighbours(shown.get(2)));
    }

    /** The VXLAN forwarding entries ({@code dst} set) of a namespace, from {@code bridge -j fdb show}. */
    public static List<FdbEntry> fdb(Kernel kernel, String netns) {
        return fdb(kernel.fdbShow(netns));
    }

    static List<FdbEntry> fdb(String json) {
        List<FdbEntry> out = new ArrayList<>();
        for (JsonNode e : parse(json)) {
            if (!e.has("dst")) continue; // a bridge's own and multicast entries: not the plan's
            out.add(new FdbEntry(e.path("mac").asText(), e.path("ifname").asText(), e.path("dst").asText()));
        }
        return out;
    }

    /** Permanent neighbour entries, from {@code ip -j neigh show nud permanent}. */
    static List<NeighbourEntry> neighbours(String json) {
        List<NeighbourEntry> out = new ArrayList<>();
        for (JsonNode n : parse(json)) out.add(new NeighbourEntry(n.path("dst").asText(), n.path("lladdr").asText(), n.path("dev").asText()));
        return out;
    }

    /** {@code ip -j [OPTIONS] -batch -} of "addr show" and "route show" (IPv4, ip's default): their two JSON arrays. */
    private static List<String> show(Kernel kernel, String netns, String... options) {
        List<String> argv = new ArrayList<>(List.of("-j"));
        argv.addAll(List.of(options));
        List<String> out = documents(kernel.ipShow(netns, argv, List.of("addr show", "route show", "neigh show nud permanent")));
        while (out.size() < 3) out.add("[]");
        return out;
    }

    /** The JSON documents ip printed one after the other (a MappingIterator would unwrap arrays: read whole trees). */
    static List<String> documents(String text) {
        List<String> out = new ArrayList<>();
        try (var parser = JSON.getFactory().createParser(text)) {
            while (parser.nextToken() != null) out.add(JSON.readTree(parser).toString());
        } catch (java.io.IOException e) {
            throw new KernelException("cannot read ip's JSON output: " + e.getMessage(), e);
        }
        return out;
    }

    /** IPv4 addresses from {@code ip -j addr show}, but the loopback's own. */
    static List<AddressPlan> addresses(String json) {
        List<AddressPlan> out = new ArrayList<>();
        for (JsonNode link : parse(json)) {
            String dev = link.path("ifname").asText();
            for (JsonNode a : link.path("addr_info")) {
                if (!"inet".equals(a.path("family").asText())) continue;
                String cidr = a.path("local").asText() + "/" + a.path("prefixlen").asInt();
                if (dev.equals("lo") && cidr.equals("127.0.0.1/8")) continue;
                out.add(new AddressPlan(cidr, dev));
            }
        }
        return out;
    }

    /** Routes from {@code ip -j route show}, without those the kernel adds for connected networks. */
    static List<RoutePlan> routes(String json) {
        List<RoutePlan> out = new ArrayList<>();
        for (JsonNode r : parse(json)) {
            String protocol = r.path("protocol").asText("");
            if (protocol.equals("kernel")) continue;
            String dst = r.path("dst").asText();
            if (!dst.equals("default") && !dst.contains("/")) dst += "/32";
            List<String> via = new ArrayList<>();
            String dev = r.path("dev").asText(null);
            if (r.has("nexthops")) {
                for (JsonNode h : r.path("nexthops")) via.add(h.path("gateway").asText());
                dev = null;
            } else if (r.has("gateway")) {
                via.add(r.path("gateway").asText());
            }
            boolean onlink = false;
            for (JsonNode f : r.path("flags")) onlink |= "onlink".equals(f.asText());
            // Routes a daemon installs carry its protocol (bird); ours are "boot" (ip's default), shown without one.
            out.add(new RoutePlan(dst, via, dev, onlink, protocol.isEmpty() || protocol.equals("boot") || protocol.equals("static") ? null : protocol));
        }
        return out;
    }

    /** Links from {@code ip -j -d addr show} (or link show). */
    static List<LiveMachine.Link> links(String json) {
        List<LiveMachine.Link> out = new ArrayList<>();
        for (JsonNode l : parse(json)) {
            JsonNode info = l.path("linkinfo");
            String kind = info.path("info_kind").asText("");
            LinkPlan.Kind k = switch (kind) {
                case "bridge" -> LinkPlan.Kind.BRIDGE;
                case "veth" -> LinkPlan.Kind.VETH;
                case "vxlan" -> LinkPlan.Kind.VXLAN;
                default -> "loopback".equals(l.path("link_type").asText()) ? LinkPlan.Kind.LOOPBACK : null;
            };
            boolean up = false;
            for (JsonNode f : l.path("flags")) up |= "UP".equals(f.asText());
            JsonNode vx = info.path("info_data");
            out.add(new LiveMachine.Link(l.path("ifname").asText(), k, l.path("master").asText(null), l.path("address").asText(null),
                    l.path("mtu").asInt(), l.path("ifalias").asText(null), info.path("info_slave_data").path("hairpin").asBoolean(false), up,
                    k == LinkPlan.Kind.VXLAN ? vx.path("id").asInt() : null, k == LinkPlan.Kind.VXLAN ? vx.path("port").asInt() : null,
                    k == LinkPlan.Kind.VXLAN ? vx.path("learning").asBoolean() : null));
        }
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return json.isBlank() ? JSON.createArrayNode() : JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new KernelException("cannot read ip's JSON output: " + e.getMessage(), e);
        }
    }
}
