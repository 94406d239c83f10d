package io.kubenetlab.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How the lab names what it creates in the kernel: namespaces, host-side veths, link aliases (the
 * ownership mark destroy and {@code plan --diff} read back) and bridge MACs. Pure functions of the
 * lab's and the object's names, so every layer derives the same names.
 */
public final class LabNames {
    private LabNames() {}

    /** The named network namespace of a lab machine or pod (also the docker runtime's container name). */
    public static String netnsName(String lab, String object) {
        String n = "knl-" + lab + "-" + object;
        return n.length() <= 200 ? n : n.substring(0, 191) + "-" + shortHash(n, 8);
    }

    /** Host-side veth names must fit 15 bytes: "veth" + 8 hex digits, like CNI's bridge plugin. */
    public static String vethName(String lab, String object) {
        return "veth" + shortHash(lab + "/" + object, 8);
    }

    /** The alias every lab link carries: the lab's mark, and a readable name for a hashed one. */
    public static String alias(String lab, String what) {
        return "kubenetlab:" + lab + ":" + what;
    }

    /**
     * A fixed MAC for a lab bridge. Left to itself a Linux bridge takes the lowest MAC of its ports,
     * so it changes as pods come and go, and pods that cached their gateway's old MAC lose their
     * traffic until the entry expires (seen as a >3 s cross-node outage). Locally administered,
     * derived from the lab and the bridge, so it is stable.
     */
    public static String bridgeMac(String lab, String bridge) {
        String h = shortHash(lab + "/" + bridge, 10);
        return "02:" + h.substring(0, 2) + ":" + h.substring(2, 4) + ":" + h.substring(4, 6) + ":" + h.substring(6, 8) + ":" + h.substring(8, 10);
    }

    /**
     * A pod's eth0 MAC, from its address as OVN-Kubernetes makes it ({@code 0a:58:} and the IPv4 bytes): a
     * node can pin its neighbour entry in the plan, and a pod that gets the address again gets the MAC too.
     */
    public static String podMac(io.kubenetlab.net.Ipv4 ip) {
        int b = ip.bits();
        return String.format("0a:58:%02x:%02x:%02x:%02x", (b >>> 24) & 0xff, (b >>> 16) & 0xff, (b >>> 8) & 0xff, b & 0xff);
    }

    /** A short stable hex digest (SHA-256), for names that must fit the kernel's 15-byte interface names. */
    public static String shortHash(String seed, int hexChars) {
        byte[] d = sha256(seed);
        StringBuilder sb = new StringBuilder();
        for (byte b : d) sb.append(String.format("%02x", b));
        return sb.substring(0, hexChars);
    }

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
