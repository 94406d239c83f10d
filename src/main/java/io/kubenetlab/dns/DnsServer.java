package io.kubenetlab.dns;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The lab's cluster DNS (the part of CoreDNS's kubernetes plugin the article needs), run as the
 * kube-dns pod's process: it serves the zone file the lab writes on every change, reloading it as soon
 * as it is renamed in (a tenth of a second at most). Names in the cluster domain it does not know get NXDOMAIN; names outside it
 * get REFUSED at once (the lab has no internet), never a timeout. Wire format: dnsjava.
 *
 * usage: DnsServer ZONE_FILE [DOMAIN] [PORT]
 */
public final class DnsServer {
    static final long TTL = 5; // CoreDNS's kubernetes plugin default
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<DnsRecord>>> ZONE = new TypeReference<>() {};

    private final Path zoneFile;
    private final Name domain;
    private volatile Map<String, List<DnsRecord>> zone = Map.of();
    private volatile byte[] loadedContent = new byte[0];
    private final Map<String, AtomicInteger> rotation = new ConcurrentHashMap<>();

    DnsServer(Path zoneFile, String domain) {
        this.zoneFile = zoneFile;
        this.domain = Name.fromConstantString(domain.endsWith(".") ? domain : domain + ".");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DnsServer ZONE_FILE [DOMAIN] [PORT]");
            System.exit(2);
        }
        DnsServer server = new DnsServer(Path.of(args[0]), args.length > 1 ? args[1] : "cluster.local");
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 53;
        // The zone's reader is cold in a new JVM (a tenth of a second for the first file): warm it
        // while the sockets open, so the first zone deploy writes is served at once.
        Thread warm = new Thread(() -> {
            try {
                JSON.readValue("{\"x.default.svc.cluster.local.\":[{\"type\":\"A\",\"data\":\"10.0.0.1\"}]}".getBytes(StandardCharsets.UTF_8), ZONE);
            } catch (IOException | RuntimeException ignored) {
                // only a warm-up
            }
        }, "zone-reader-warm-up");
        warm.setDaemon(true);
        warm.start();
        server.reload();
        Thread watcher = new Thread(server::watch, "zone-watcher");
        watcher.setDaemon(true);
        watcher.start();
        // UDP first: deploy waits for the declared TCP port only, so once TCP listens UDP is bound too.
        try (DatagramSocket udp = new DatagramSocket(port)) {
            ServerSocket tcp = new ServerSocket();
            tcp.bind(new InetSocketAddress(port));
            Thread tcpThread = new Thread(() -> server.serveTcp(tcp), "dns-tcp");
            tcpThread.setDaemon(true);
            tcpThread.start();
            System.out.println("kubenetlab cluster DNS serving " + server.domain + " on :" + port + " (udp, tcp) from " + args[0]);
            server.serveUdp(udp);
        }
    }

    // ---------------------------------------------------------------- zone

    /**
     * Reloads the zone when the lab renames a new one in (inotify, through the JDK's WatchService: at
     * once), and every tenth of a second anyway (a watch can overflow or be refused; content decides).
     */
    private void watch() {
        java.nio.file.WatchService events = null;
        while (true) {
            try {
                if (events == null) events = watchZoneDirectory(); // null until the lab made the directory
                if (events == null) {
                    Thread.sleep(100);
                } else {
                    var key = events.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
                reload();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.out.println("zone reload failed: " + e.getMessage());
            }
        }
    }

    private java.nio.file.WatchService watchZoneDirectory() {
        Path dir = zoneFile.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) return null;
        java.nio.file.WatchService events = null;
        try {
            events = zoneFile.getFileSystem().newWatchService();
            dir.register(events, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE, java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
            return events;
        } catch (IOException | RuntimeException e) {
            try {
                if (events != null) events.close();
            } catch (IOException ignored) {
                // closing a watch that never watched
            }
            return null; // polled, as before
        }
    }

    /**
     * Loads the zone when its content changed. Content, not file metadata: timestamps are coarse and
     * a renamed-in file may get the old inode back, so two quick writes could otherwise look the same.
     */
    void reload() throws IOException {
        if (!Files.exists(zoneFile)) return;
        byte[] content = Files.readAllBytes(zoneFile);
        if (java.util.Arrays.equals(content, loadedContent)) return;
        zone = JSON.readValue(content, ZONE);
        loadedContent = content;
        // The version lets the lab wait until a new zone is served (deploy does, before starting clients).
        System.out.println("zone loaded: " + zone.size() + " names, version " + version(content));
    }

    /** A zone file's version: the first 16 hex digits of its SHA-256. */
    public static String version(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void setZone(Map<String, List<DnsRecord>> z) {
        zone = z;
    }

    // ---------------------------------------------------------------- transport

    private void serveUdp(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[4096];
        while (true) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            socket.receive(in);
            byte[] reply;
            try {
                Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                reply = answer(query).toWire(512); // sets TC when it does not fit: the client retries over TCP
            } catch (IOException | RuntimeException e) {
                continue; // not a DNS message: drop it, as servers do
            }
            socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        }
    }

    private void serveTcp(ServerSocket server) {
        while (true) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> handleTcp(s), "dns-tcp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handleTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream()); DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setSoTimeout(10_000);
            while (true) {
                int len = in.readUnsignedShort();
                byte[] msg = new byte[len];
                in.readFully(msg);
                byte[] reply = answer(new Message(msg)).toWire();
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // client closed or sent garbage
        }
    }

    // ---------------------------------------------------------------- answers

    /** The answer to one query; pure apart from the rotation counter. */
    Message answer(Message query) throws IOException {
        Message resp = new Message(query.getHeader().getID());
        resp.getHeader().setFlag(Flags.QR);
        // RD is copied (miekg/dns SetReply); RA is never set: CoreDNS's own answers are "qr,aa,rd" since
        // coredns/coredns#2408 (only forwarded answers carry the upstream's RA), and glibc does not need it.
        if (query.getHeader().getFlag(Flags.RD)) resp.getHeader().setFlag(Flags.RD);
        Record question = query.getQuestion();
        if (question == null) {
            resp.getHeader().setRcode(Rcode.FORMERR);
            return resp;
        }
        resp.addRecord(question, Section.QUESTION);
        Name qname = question.getName();
        int qtype = question.getType();
        if (!qname.subdomain(domain)) {
            resp.getHeader().setRcode(Rcode.REFUSED); // not ours, and the lab has no internet to ask
            return resp;
        }
        resp.getHeader().setFlag(Flags.AA);
        String key = qname.toString().toLowerCase();
        List<DnsRecord> records = zone.get(key);
        if (records == null && exists(key)) {
            // The zone apex and the names between it and real names (svc.cluster.local.) exist with
            // no records of their own: NOERROR, not NXDOMAIN (RFC 8020), and the apex has its SOA.
            if (qname.equals(domain) && (qtype == Type.SOA || qtype == Type.ANY)) resp.addRecord(soa(), Section.ANSWER);
            else resp.addRecord(soa(), Section.AUTHORITY);
            return resp;
        }
        if (records == null) {
            resp.getHeader().setRcode(Rcode.NXDOMAIN);
            resp.addRecord(soa(), Section.AUTHORITY);
            return resp;
        }
        List<DnsRecord> cname = records.stream().filter(r -> r.type().equals("CNAME")).toList();
        if (!cname.isEmpty()) return chase(resp, qname, qtype, Name.fromString(cname.get(0).data()));
        if (qtype == Type.A || qtype == Type.ANY) {
            // Only A answers turn the rotation: resolvers ask AAAA alongside every A.
            for (DnsRecord r : rotate(key, records.stream().filter(r -> r.type().equals("A")).toList())) {
                resp.addRecord(aRecord(qname, r.data()), Section.ANSWER);
            }
        }
        if (qtype == Type.SRV || qtype == Type.ANY) {
            for (DnsRecord r : records) {
                if (!r.type().equals("SRV")) continue;
                String[] f = r.data().split(" ");
                Name target = Name.fromString(f[3]);
                resp.addRecord(new SRVRecord(qname, DClass.IN, TTL, Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                        Integer.parseInt(f[2]), target), Section.ANSWER);
                for (DnsRecord t : zone.getOrDefault(f[3].toLowerCase(), List.of())) {
                    if (t.type().equals("A")) resp.addRecord(aRecord(target, t.data()), Section.ADDITIONAL);
                }
            }
        }
        if (resp.getSectionArray(Section.ANSWER).length == 0) resp.addRecord(soa(), Section.AUTHORITY); // NODATA
        return resp;
    }

    /**
     * An ExternalName's answer, as CoreDNS's kubernetes plugin gives it (coredns/coredns
     * plugin/backend_lookup.go, A() and AAAA(); plugin/kubernetes/handler.go): for A (and AAAA) the
     * CNAME is followed inside the cluster domain and answered with the target's addresses; an
     * in-domain target without any is NODATA (no CNAME either: A() adds it only with addresses). A
     * target outside the domain goes to CoreDNS's upstream lookup (plugin/pkg/upstream/upstream.go),
     * which without a forward plugin comes back SERVFAIL with no answer, so CoreDNS answers the CNAME
     * alone; the lab has no internet, so that is what we do too. Other types get the CNAME.
     */
    private Message chase(Message resp, Name qname, int qtype, Name target) throws IOException {
        List<Record> chain = new ArrayList<>(List.of(new CNAMERecord(qname, DClass.IN, TTL, target)));
        if (qtype != Type.A && qtype != Type.AAAA && qtype != Type.ANY || !target.subdomain(domain)) {
            for (Record r : chain) resp.addRecord(r, Section.ANSWER);
            return resp;
        }
        java.util.Set<Name> seen = new java.util.HashSet<>(List.of(qname, target));
        Name cur = target;
        // CoreDNS stops following after 10 CNAMEs (maxCnameChainLength).
        for (int hop = 0; hop < 10; hop++) {
            String key = cur.toString().toLowerCase();
            List<DnsRecord> rs = zone.get(key);
            if (rs == null) break; // the target does not exist: NODATA
            DnsRecord next = rs.stream().filter(r -> r.type().equals("CNAME")).findFirst().orElse(null);
            if (next != null) {
                Name n = Name.fromString(next.data());
                if (!seen.add(n)) break; // a loop
                chain.add(new CNAMERecord(cur, DClass.IN, TTL, n));
                if (!n.subdomain(domain)) {
                    for (Record r : chain) resp.addRecord(r, Section.ANSWER);
                    return resp;
                }
                cur = n;
                continue;
            }
            // The cluster has IPv4 addresses only: AAAA finds none and is NODATA, as in CoreDNS.
            List<DnsRecord> as = qtype == Type.AAAA ? List.of() : rotate(key, rs.stream().filter(r -> r.type().equals("A")).toList());
            if (as.isEmpty()) break;
            for (Record r : chain) resp.addRecord(r, Section.ANSWER);
            for (DnsRecord a : as) resp.addRecord(aRecord(cur, a.data()), Section.ANSWER);
            return resp;
        }
        resp.addRecord(soa(), Section.AUTHORITY);
        return resp;
    }

    /** True for the zone apex and for every name that has names of the zone below it. */
    private boolean exists(String key) {
        if (key.equals(domain.toString().toLowerCase())) return true;
        String suffix = "." + key;
        for (String name : zone.keySet()) if (name.endsWith(suffix)) return true;
        return false;
    }

    /** Headless answers rotate between queries, as CoreDNS's loadbalance plugin does. */
    private List<DnsRecord> rotate(String key, List<DnsRecord> list) {
        if (list.size() < 2) return list;
        int k = Math.floorMod(rotation.computeIfAbsent(key, x -> new AtomicInteger()).getAndIncrement(), list.size());
        List<DnsRecord> out = new ArrayList<>(list.subList(k, list.size()));
        out.addAll(list.subList(0, k));
        return out;
    }

    private static ARecord aRecord(Name name, String ip) throws IOException {
        return new ARecord(name, DClass.IN, TTL, InetAddress.getByName(ip));
    }

    private SOARecord soa() throws IOException {
        return new SOARecord(domain, DClass.IN, TTL, Name.fromString("ns.dns." + domain), Name.fromString("hostmaster." + domain),
                1, 7200, 1800, 86400, TTL);
    }
}
