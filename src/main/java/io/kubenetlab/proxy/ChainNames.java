package io.kubenetlab.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * kube-proxy's names: the service port name ("ns/name[:port]") and the per-service chains, whose
 * suffix is the first 16 characters of base32(sha256(SPN + protocol [+ endpoint])). The names must
 * match upstream byte for byte, so that a dump of our rules reads like a real node's.
 */
public final class ChainNames {
    public static final String SVC = "KUBE-SVC-";
    public static final String SVL = "KUBE-SVL-";
    public static final String EXT = "KUBE-EXT-";
    public static final String FW = "KUBE-FW-";
    public static final String SEP = "KUBE-SEP-";

    private ChainNames() {
    }

    /** "ns/name", plus ":portName" only when the port is named; the protocol is not part of it. */
    /** kube-proxy's "is this one of ours" test (2.2): a per-service chain, which a sync may skip or delete. */
    public static boolean perService(String chain) {
        return chain.startsWith(SVC) || chain.startsWith(SVL) || chain.startsWith(SEP) || chain.startsWith(FW) || chain.startsWith(EXT);
    }

    public static String servicePortName(ServicePort sp) {
        String nn = sp.namespace() + "/" + sp.name();
        return sp.portName().isEmpty() ? nn : nn + ":" + sp.portName();
    }

    /** The protocol as kube-proxy writes it in matches and hashes: tcp, udp, sctp. */
    public static String protocol(ServicePort sp) {
        return sp.protocol().toLowerCase(Locale.ROOT);
    }

    /** "ip:port": the key endpoints are sorted, deduplicated and hashed by. */
    public static String endpoint(Endpoint ep) {
        return ep.ip() + ":" + ep.port();
    }

    /** The 16-character suffix shared by the SVC, SVL, EXT and FW chains of a service port. */
    public static String hash(ServicePort sp) {
        return hash(servicePortName(sp) + protocol(sp));
    }

    public static String svc(ServicePort sp) {
        return SVC + hash(sp);
    }

    public static String svl(ServicePort sp) {
        return SVL + hash(sp);
    }

    public static String ext(ServicePort sp) {
        return EXT + hash(sp);
    }

    public static String fw(ServicePort sp) {
        return FW + hash(sp);
    }

    public static String sep(ServicePort sp, Endpoint ep) {
        return sep(servicePortName(sp), protocol(sp), endpoint(ep));
    }

    static String sep(String spn, String protocol, String endpoint) {
        return SEP + hash(spn + protocol + endpoint);
    }

    /** First 16 characters of base32_std(sha256(text)): the padding never reaches them. */
    static String hash(String text) {
        return base32First16(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    /**
     * RFC 4648 base32 (standard alphabet) of the first 10 bytes, which are exactly 16 characters. Hand-written:
     * a general encoder allocates a buffer per call and was most of render()'s time with 10,000 services.
     */
    static String base32First16(byte[] bytes) {
        char[] out = new char[16];
        for (int block = 0; block < 2; block++) {
            long bits = 0; // 5 bytes = 40 bits = 8 characters of 5 bits
            for (int i = 0; i < 5; i++) bits = (bits << 8) | (bytes[block * 5 + i] & 0xFF);
            for (int i = 7; i >= 0; i--) {
                out[block * 8 + i] = BASE32[(int) (bits & 31)];
                bits >>>= 5;
            }
        }
        return new String(out);
    }

    // MessageDigest is not thread-safe, and looking one up costs as much as the hash: one per thread.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });
}
