package io.kubenetlab.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An IPv4 network such as {@code 10.0.1.0/24}. Host bits must be zero, as Kubernetes requires. */
public record Cidr(Ipv4 network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length must be 0-32");
        if ((network.bits() & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("host bits set in " + network + "/" + prefix
                    + " (did you mean " + new Ipv4(network.bits() & mask(prefix)) + "/" + prefix + "?)");
        }
    }

    @JsonCreator
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR (address/prefix): \"" + text + "\"");
        String p = text.substring(slash + 1).trim();
        if (p.isEmpty() || !p.chars().allMatch(Character::isDigit) || p.length() > 2) {
            throw new IllegalArgumentException("bad prefix length in \"" + text + "\"");
        }
        return new Cidr(Ipv4.parse(text.substring(0, slash)), Integer.parseInt(p));
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    /** The n-th address of the network (0 is the network address itself). */
    public Ipv4 address(long n) {
        if (n < 0 || n >= size()) throw new IllegalArgumentException("address #" + n + " is outside " + this);
        return network.plus(n);
    }

    public Ipv4 broadcast() {
        return address(size() - 1);
    }

    public boolean contains(Ipv4 ip) {
        return (ip.bits() & mask(prefix)) == network.bits();
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other.network) || other.contains(network);
    }

    /** The i-th subnet of the given prefix length inside this network. */
    public Cidr subnet(int subPrefix, long index) {
        if (subPrefix < prefix) throw new IllegalArgumentException("/" + subPrefix + " is larger than " + this);
        long count = 1L << (subPrefix - prefix);
        if (index < 0 || index >= count) throw new IllegalArgumentException("subnet #" + index + " is outside " + this);
        return new Cidr(network.plus(index << (32 - subPrefix)), subPrefix);
    }

    public long subnetCount(int subPrefix) {
        return 1L << (subPrefix - prefix);
    }

    /** The address with this network's prefix, as {@code ip addr add} wants it. */
    public String withPrefix(Ipv4 ip) {
        return ip + "/" + prefix;
    }

    @JsonValue
    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
