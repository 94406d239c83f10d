package io.kubenetlab.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Names like Kubernetes': a ReplicaSet is {@code <deployment>-<pod-template-hash>} and its pods get a
 * five-character suffix from the same alphabet as {@code utilrand.String}. Unlike Kubernetes, the
 * suffix is derived from a seed, so the same lab deployed twice gets the same names (and so the same IPs).
 */
public final class PodNamer {
    /** Kubernetes' alphabet for generated names: no vowels, no confusable characters. */
    static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    /** {@code maxGeneratedNameLength}: 63 minus the random suffix. */
    static final int MAX_PREFIX = 58;

    private PodNamer() {}

    /** FNV-32a over the template's canonical text, encoded like {@code rand.SafeEncodeString}. */
    public static String templateHash(String canonicalTemplate) {
        return safeEncode(Long.toString(Integer.toUnsignedLong(fnv1a(canonicalTemplate))));
    }

    /** FNV-32a (as Go's hash/fnv New32a): stable across JVMs, unlike String.hashCode's contract. */
    public static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return h;
    }

    static String safeEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) sb.append(ALPHANUMS.charAt((b & 0xff) % ALPHANUMS.length()));
        return sb.toString();
    }

    /** {@code generateName} semantics: prefix (truncated) plus a 5-character suffix. */
    public static String generate(String prefix, String seed) {
        String p = prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix;
        return p + suffix(seed);
    }

    static String suffix(String seed) {
        byte[] d = sha256(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) sb.append(ALPHANUMS.charAt((d[i] & 0xff) % ALPHANUMS.length()));
        return sb.toString();
    }

    /** A short stable hex digest, for names that must fit the kernel's 15-byte interface names. */
    public static String shortHash(String seed, int hexChars) {
        return io.kubenetlab.model.LabNames.shortHash(seed, hexChars);
    }

    static byte[] sha256(String s) {
        return io.kubenetlab.model.LabNames.sha256(s);
    }
}
