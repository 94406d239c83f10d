package io.kubenetlab.trace;

/** A packet's protocol, addresses and ports at one point of its way. */
public record Tuple(String proto, String src, int sport, String dst, int dport) {
    /** The same connection seen from the other end (a reply's tuple). */
    public Tuple reversed() {
        return new Tuple(proto, dst, dport, src, sport);
    }

    @Override
    public String toString() {
        return src + ":" + sport + " -> " + dst + ":" + dport + "/" + proto;
    }
}
