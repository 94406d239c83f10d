package io.kubenetlab.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads iptables-legacy's TRACE records from a pcap of NFLOG group 0 (tcpdump -i nflog:0 -w -): each
 * record is one rule an nftrace-marked packet met, prefixed {@code TRACE: table:chain:kind:number} by
 * the kernel (net/ipv4/netfilter/ip_tables.c, trace_packet), with the packet as it was at that moment.
 * Records of one packet come in hook order (PREROUTING, then FORWARD or INPUT, then POSTROUTING; or
 * OUTPUT, then POSTROUTING): a new packet starts when the ip id changes or the hook goes back.
 */
public final class NflogTraceParser {
    private static final int LINKTYPE_NFLOG = 239;
    private static final int NFULA_PACKET_HDR = 1;
    private static final int NFULA_PAYLOAD = 9;
    private static final int NFULA_PREFIX = 10;
    private static final String[] HOOKS = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"};

    private NflogTraceParser() {}

    /** One record: the hook, the kernel's prefix split up, the packet. */
    record Record(int hook, RuleHit hit, Tuple packet, int ipId, String flags) {}

    public static List<PacketTrace> parse(byte[] pcap) {
        List<PacketTrace> out = new ArrayList<>();
        List<HookPass> passes = new ArrayList<>();
        List<RuleHit> hits = new ArrayList<>();
        Record first = null;
        Record last = null;
        for (Record r : records(pcap)) {
            boolean newPacket = last == null || r.ipId() != last.ipId() || r.hook() < last.hook() || !sameFlow(r.packet(), last.packet());
            if (last != null && (newPacket || r.hook() != last.hook())) {
                passes.add(new HookPass(HOOKS[first.hook()], first.packet(), null, null, first.flags(), hits));
                hits = new ArrayList<>();
                first = null;
            }
            if (last != null && newPacket) {
                out.add(new PacketTrace(Integer.toString(last.ipId()), passes));
                passes = new ArrayList<>();
            }
            if (first == null) first = r;
            hits.add(r.hit());
            last = r;
        }
        if (first != null) {
            passes.add(new HookPass(HOOKS[first.hook()], first.packet(), null, null, first.flags(), hits));
            out.add(new PacketTrace(Integer.toString(last.ipId()), passes));
        }
        return out;
    }

    /** One connection's packet in either direction: NAT changes addresses, never the protocol. */
    private static boolean sameFlow(Tuple a, Tuple b) {
        return a.proto().equals(b.proto());
    }

    static List<Record> records(byte[] pcap) {
        List<Record> out = new ArrayList<>();
        if (pcap.length < 24) return out;
        ByteBuffer b = ByteBuffer.wrap(pcap);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        ByteOrder order = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        b.order(order);
        if (b.getInt(20) != LINKTYPE_NFLOG) throw new IllegalArgumentException("not an NFLOG capture: link type " + b.getInt(20));
        int off = 24;
        while (off + 16 <= pcap.length) {
            int len = b.getInt(off + 8);
            int start = off + 16;
            if (len < 0 || start + len > pcap.length) break;
            Record r = record(pcap, start, len);
            if (r != null) out.add(r);
            off = start + len;
        }
        return out;
    }

    /** An NFLOG record: a 4-byte header, then TLVs in the capturing host's byte order (little-endian here). */
    private static Record record(byte[] data, int start, int len) {
        ByteBuffer b = ByteBuffer.wrap(data, start, len).slice().order(ByteOrder.LITTLE_ENDIAN);
        int hook = -1;
        String prefix = null;
        int payloadAt = -1;
        int payloadLen = 0;
        int p = 4;
        while (p + 4 <= len) {
            int tlvLen = b.getShort(p) & 0xffff;
            int type = b.getShort(p + 2) & 0x7fff;
            if (tlvLen < 4 || p + tlvLen > len) break;
            if (type == NFULA_PACKET_HDR && tlvLen >= 7) hook = b.get(p + 4 + 2) & 0xff;
            if (type == NFULA_PREFIX) {
                int end = p + 4;
                while (end < p + tlvLen && b.get(end) != 0) end++;
                prefix = new String(data, start + p + 4, end - p - 4, StandardCharsets.UTF_8);
            }
            if (type == NFULA_PAYLOAD) {
                payloadAt = start + p + 4;
                payloadLen = tlvLen - 4;
            }
            p += (tlvLen + 3) & ~3;
        }
        if (prefix == null || !prefix.startsWith("TRACE: ") || payloadAt < 0 || hook < 0 || hook >= HOOKS.length) return null;
        String[] f = prefix.substring(7).strip().split(":");
        if (f.length < 4) return null;
        RuleHit hit = new RuleHit(f[0], f[1], f[2], Integer.parseInt(f[3]), "", "");
        return ipv4(data, payloadAt, payloadLen, hook, hit);
    }

    private static Record ipv4(byte[] d, int at, int len, int hook, RuleHit hit) {
        if (len < 20 || (d[at] >> 4) != 4) return null;
        int ihl = (d[at] & 0x0f) * 4;
        int ipId = ((d[at + 4] & 0xff) << 8) | (d[at + 5] & 0xff);
        int protoNumber = d[at + 9] & 0xff;
        String src = (d[at + 12] & 0xff) + "." + (d[at + 13] & 0xff) + "." + (d[at + 14] & 0xff) + "." + (d[at + 15] & 0xff);
        String dst = (d[at + 16] & 0xff) + "." + (d[at + 17] & 0xff) + "." + (d[at + 18] & 0xff) + "." + (d[at + 19] & 0xff);
        String proto = switch (protoNumber) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            case 1 -> "icmp";
            default -> Integer.toString(protoNumber);
        };
        int sport = 0;
        int dport = 0;
        String flags = "";
        int l4 = at + ihl;
        if ((protoNumber == 6 || protoNumber == 17 || protoNumber == 132) && len >= ihl + 4) {
            sport = ((d[l4] & 0xff) << 8) | (d[l4 + 1] & 0xff);
            dport = ((d[l4 + 2] & 0xff) << 8) | (d[l4 + 3] & 0xff);
        }
        if (protoNumber == 6 && len >= ihl + 14) flags = tcpFlags(d[l4 + 13] & 0xff);
        return new Record(hook, hit, new Tuple(proto, src, sport, dst, dport), ipId, flags);
    }

    /** As nft prints them: {@code syn}, {@code ack}, or {@code syn | ack}. */
    static String tcpFlags(int bits) {
        String[] names = {"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"};
        List<String> on = new ArrayList<>();
        for (int i = 0; i < names.length; i++) if ((bits & (1 << i)) != 0) on.add(names[i]);
        return String.join(" | ", on);
    }
}
