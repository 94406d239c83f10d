package io.kubenetlab.proxy;

/**
 * kube-proxy's nftables names (upstream pkg/proxy/nftables/proxier.go, servicePortChainNameBase and
 * servicePortEndpointChainNameBase): a readable name "ns/name/proto/portName" (plus "__ip/port" for an
 * endpoint), prefixed with the first 8 characters of base32(sha256(readable name)) so that names that
 * differ in one digit still look different, then a kind prefix. "/" is legal in an nftables name and in
 * none of the parts, so a name with a "/" is always a per-service one.
 */
final class NftablesNames {
    /** knftables.NameLengthMax minus the longest kind prefix ("external-", "affinity-"... 16 at most). */
    private static final int BASE_LENGTH_MAX = 256 - 16;

    static final String SERVICE = "service-";
    static final String LOCAL = "local-";
    static final String EXTERNAL = "external-";
    static final String ENDPOINT = "endpoint-";
    static final String AFFINITY = "affinity-";
    static final String FIREWALL = "firewall-";

    private NftablesNames() {}

    /** "ns/name/proto/portName": an unnamed port leaves a trailing "/", as upstream's Sprintf does. */
    static String readable(ServicePort sp) {
        return sp.namespace() + "/" + sp.name() + "/" + ChainNames.protocol(sp) + "/" + sp.portName();
    }

    static String serviceBase(ServicePort sp) {
        return hashAndTruncate(readable(sp));
    }

    /** IPv6 colons would be illegal in a name (upstream turns them into dots); IPv4 needs nothing. */
    static String endpointBase(ServicePort sp, Endpoint ep) {
        return hashAndTruncate(readable(sp) + "__" + ep.ip() + "/" + ep.port());
    }

    static String service(ServicePort sp) {
        return SERVICE + serviceBase(sp);
    }

    static String local(ServicePort sp) {
        return LOCAL + serviceBase(sp);
    }

    static String external(ServicePort sp) {
        return EXTERNAL + serviceBase(sp);
    }

    static String firewall(ServicePort sp) {
        return FIREWALL + serviceBase(sp);
    }

    static String endpoint(ServicePort sp, Endpoint ep) {
        return ENDPOINT + endpointBase(sp, ep);
    }

    static String affinity(ServicePort sp, Endpoint ep) {
        return AFFINITY + endpointBase(sp, ep);
    }

    /** Upstream's hashAndTruncate. Names are ASCII, so Go's byte length is the String length. */
    static String hashAndTruncate(String name) {
        String out = ChainNames.hash(name).substring(0, 8) + "-" + name;
        return out.length() > BASE_LENGTH_MAX ? out.substring(0, BASE_LENGTH_MAX - 3) + "..." : out;
    }

    /** Upstream's isServiceChainName: every per-service chain has a "/", no top-level chain does. */
    static boolean perService(String chain) {
        return chain.contains("/");
    }
}
