package io.kubenetlab.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An IPv4 address as an unsigned 32-bit value; parsing is strict (four decimal octets). */
public record Ipv4(int bits) implements Comparable<Ipv4> {

    @JsonCreator
    public static Ipv4 parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            }
            int o = Integer.parseInt(p);
            if (o > 255) throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            v = (v << 8) | o;
        }
        return new Ipv4(v);
    }

    public Ipv4 plus(long n) {
        return new Ipv4((int) (Integer.toUnsignedLong(bits) + n));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @JsonValue
    @Override
    public String toString() {
        return ((bits >>> 24) & 255) + "." + ((bits >>> 16) & 255) + "." + ((bits >>> 8) & 255) + "." + (bits & 255);
    }
}
