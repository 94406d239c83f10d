package io.kubenetlab.plan;

/**
 * One network interface. A veth pair appears twice, once in each namespace; the end with
 * {@code createsPair} creates both (its peer is {@code peer} in {@code peerNetns}). {@code master} is
 * the bridge a port is enslaved to; {@code alias} is the lab's ownership mark (null: none).
 * {@code vxlan} is set for VXLAN links only.
 */
public record LinkPlan(String name, Kind kind, String peer, String peerNetns, boolean createsPair, String master, String mac,
                       Integer mtu, String alias, boolean hairpin, Vxlan vxlan) {
    public enum Kind { LOOPBACK, BRIDGE, VETH, VXLAN }

    /** A VXLAN device's parameters (flannel's {@code flannel.1}: id 1, port 8472, nolearning). */
    public record Vxlan(int id, String local, String dev, int dstPort, boolean learning) {}

    public static LinkPlan loopback() {
        return new LinkPlan("lo", Kind.LOOPBACK, null, null, false, null, null, null, null, false, null);
    }

    public static LinkPlan bridge(String name, String mac, Integer mtu, String alias) {
        return new LinkPlan(name, Kind.BRIDGE, null, null, false, null, mac, mtu, alias, false, null);
    }

    /** The end of a veth pair that creates it (and its peer in the other namespace). */
    public static LinkPlan vethCreator(String name, String peer, String peerNetns, String master, Integer mtu, String alias, boolean hairpin) {
        return new LinkPlan(name, Kind.VETH, peer, peerNetns, true, master, null, mtu, alias, hairpin, null);
    }

    /** The end of a veth pair created from the other namespace. */
    public static LinkPlan vethPeer(String name, String peer, String peerNetns, Integer mtu, String alias) {
        return new LinkPlan(name, Kind.VETH, peer, peerNetns, false, null, null, mtu, alias, false, null);
    }

    /** This link with the given MAC address. */
    public LinkPlan withMac(String newMac) {
        return new LinkPlan(name, kind, peer, peerNetns, createsPair, master, newMac, mtu, alias, hairpin, vxlan);
    }

    public static LinkPlan vxlan(String name, String mac, Integer mtu, String alias, Vxlan vxlan) {
        return new LinkPlan(name, Kind.VXLAN, null, null, false, null, mac, mtu, alias, false, vxlan);
    }
}
