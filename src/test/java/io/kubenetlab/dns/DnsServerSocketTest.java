package io.kubenetlab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The server over real sockets, bound to 127.0.0.1 on a free port. {@link DnsServer#main} binds every
 * address on a fixed port and never returns, so the test drives the same private loops main starts
 * (serveUdp, serveTcp, watch) by reflection on its own loopback sockets.
 */
@Timeout(30)
class DnsServerSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String WEB = "web.default.svc.cluster.local.";
    private static final String HEADLESS = "many.default.svc.cluster.local.";
    private static final int MANY = 60; // 60 A records (16 bytes each) cannot fit in 512 bytes

    @TempDir
    Path dir;

    Path zoneFile;
    DnsServer server;
    DatagramSocket udp;
    ServerSocket tcp;
    final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zoneFile = dir.resolve("zone.json");
        writeZone(baseZone());
        serve(new DnsServer(zoneFile, "cluster.local"));
    }

    /** What main does, on loopback sockets: load the zone, then serve UDP and TCP. */
    private void serve(DnsServer s) throws Exception {
        server = s;
        server.reload();
        bindLoopback();
        run("test-dns-udp", () -> invoke("serveUdp", DatagramSocket.class, udp));
        run("test-dns-tcp", () -> invoke("serveTcp", ServerSocket.class, tcp));
    }

    @AfterEach
    void stop() throws Exception {
        if (udp != null) udp.close();
        if (tcp != null) tcp.close();
        for (Thread t : threads) {
            t.interrupt();
            t.join(2000);
        }
        threads.clear();
    }

    // ------------------------------------------------------------------ setup helpers

    private void bindLoopback() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket u = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            ServerSocket t = new ServerSocket();
            try {
                t.bind(new InetSocketAddress(LOOPBACK, u.getLocalPort())); // the same number for UDP and TCP, as resolvers expect
                udp = u;
                tcp = t;
                return;
            } catch (BindException e) {
                u.close();
                t.close();
            }
        }
        throw new IOException("no free port on 127.0.0.1 for both UDP and TCP");
    }

    private void invoke(String method, Class<?> type, Object arg) throws Exception {
        Method m = DnsServer.class.getDeclaredMethod(method, type);
        m.setAccessible(true);
        try {
            m.invoke(server, arg);
        } catch (InvocationTargetException e) {
            // the socket was closed at the end of the test
        }
    }

    private void startWatcher() throws Exception {
        Method watch = DnsServer.class.getDeclaredMethod("watch");
        watch.setAccessible(true);
        DnsServer s = server;
        run("test-zone-watcher", () -> watch.invoke(s));
    }

    private interface Body {
        void run() throws Exception;
    }

    private void run(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                // ends with the test
            }
        }, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    private static Map<String, List<DnsRecord>> baseZone() {
        Map<String, List<DnsRecord>> zone = new LinkedHashMap<>();
        zone.put(WEB, List.of(new DnsRecord("A", "10.3.240.20")));
        zone.put("_http._tcp." + WEB, List.of(new DnsRecord("SRV", "0 100 80 " + WEB)));
        List<DnsRecord> many = new ArrayList<>();
        for (int i = 1; i <= MANY; i++) many.add(new DnsRecord("A", "10.0.1." + i));
        zone.put(HEADLESS, many);
        return zone;
    }

    /** As the lab writes it: a temporary file moved over the zone file. */
    private void writeZone(Map<String, List<DnsRecord>> zone) throws IOException {
        Path tmp = zoneFile.resolveSibling("zone.json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(zone));
        Files.move(tmp, zoneFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private SimpleResolver resolver(boolean tcpOnly) throws IOException {
        SimpleResolver r = new SimpleResolver("127.0.0.1");
        r.setPort(udp.getLocalPort());
        r.setTCP(tcpOnly);
        r.setTimeout(Duration.ofSeconds(3));
        return r;
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private static List<String> addresses(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) out.add(a.getAddress().getHostAddress());
        }
        return out;
    }

    // ------------------------------------------------------------------ UDP and TCP

    @Test
    void sendsAnswersOnlyFromLoopback() {
        assertThat(udp.getLocalAddress().isLoopbackAddress()).isTrue();
        assertThat(tcp.getInetAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void answersOverUdp() throws IOException {
        Message m = resolver(false).send(query(WEB, Type.A));

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(addresses(m)).containsExactly("10.3.240.20");
        assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(5);
    }

    @Test
    void answersOverTcp() throws IOException {
        Message m = resolver(true).send(query(WEB, Type.A));

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(m)).containsExactly("10.3.240.20");
    }

    @Test
    void nxdomainRefusedAndSrvOverTheWire() throws IOException {
        SimpleResolver r = resolver(false);

        assertThat(r.send(query("nope.default.svc.cluster.local.", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.send(query("example.com.", Type.A)).getRcode()).isEqualTo(Rcode.REFUSED); // at once, not a timeout
        Message nodata = r.send(query(WEB, Type.AAAA));
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        Message srv = r.send(query("_http._tcp." + WEB, Type.SRV));
        assertThat(srv.getSection(Section.ANSWER)).singleElement().isInstanceOf(SRVRecord.class);
        assertThat(srv.getSection(Section.ADDITIONAL)).anySatisfy(a -> assertThat(a).isInstanceOf(ARecord.class));
    }

    @Test
    void truncatedUdpAnswerSetsTc() throws IOException {
        SimpleResolver r = resolver(false);
        r.setIgnoreTruncation(true); // look at the UDP answer itself

        Message m = r.send(query(HEADLESS, Type.A));

        assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER).size()).isLessThan(MANY);
    }

    @Test
    void truncatedUdpAnswerFitsIn512Bytes() throws IOException {
        byte[] q = query(HEADLESS, Type.A).toWire();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(3000);
            client.send(new DatagramPacket(q, q.length, LOOPBACK, udp.getLocalPort()));
            DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
            client.receive(in);

            assertThat(in.getLength()).isLessThanOrEqualTo(512);
            assertThat(new Message(java.util.Arrays.copyOf(in.getData(), in.getLength())).getHeader().getFlag(Flags.TC)).isTrue();
        }
    }

    @Test
    void truncatedAnswerIsCompleteOverTcp() throws IOException {
        Message tcpAnswer = resolver(true).send(query(HEADLESS, Type.A));
        assertThat(tcpAnswer.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(addresses(tcpAnswer)).hasSize(MANY);

        // a resolver that honours TC retries over TCP by itself
        Message retried = resolver(false).send(query(HEADLESS, Type.A));
        assertThat(addresses(retried)).hasSize(MANY);
    }

    @Test
    void smallAnswerIsNotTruncated() throws IOException {
        SimpleResolver r = resolver(false);
        r.setIgnoreTruncation(true);

        assertThat(r.send(query(WEB, Type.A)).getHeader().getFlag(Flags.TC)).isFalse();
    }

    @Test
    void tcpConnectionServesSeveralQueries() throws IOException {
        try (Socket s = new Socket(LOOPBACK, tcp.getLocalPort());
             DataOutputStream out = new DataOutputStream(s.getOutputStream());
             DataInputStream in = new DataInputStream(s.getInputStream())) {
            s.setSoTimeout(3000);
            for (int id : new int[] {11, 12, 13}) {
                Message q = query(WEB, Type.A);
                q.getHeader().setID(id);
                byte[] wire = q.toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                Message m = new Message(reply);
                assertThat(m.getHeader().getID()).isEqualTo(id);
                assertThat(addresses(m)).containsExactly("10.3.240.20");
            }
        }
    }

    @Test
    void udpGarbageIsDroppedAndServingGoesOn() throws IOException {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(300);
            byte[] junk = {1, 2, 3};
            client.send(new DatagramPacket(junk, junk.length, LOOPBACK, udp.getLocalPort()));
            DatagramPacket in = new DatagramPacket(new byte[512], 512);
            try {
                client.receive(in);
                throw new AssertionError("an answer to garbage");
            } catch (SocketTimeoutException expected) {
                // dropped
            }
        }

        assertThat(addresses(resolver(false).send(query(WEB, Type.A)))).containsExactly("10.3.240.20");
    }

    // ------------------------------------------------------------------ zone reload

    @Test
    void zoneFileChangeIsServedWithinOneSecond() throws Exception {
        startWatcher();
        SimpleResolver r = resolver(false);
        assertThat(r.send(query("new.default.svc.cluster.local.", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        Map<String, List<DnsRecord>> changed = new LinkedHashMap<>(baseZone());
        changed.put("new.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.3.240.99")));
        changed.put(WEB, List.of(new DnsRecord("A", "10.3.240.21")));
        writeZone(changed);

        Message m = pollUntil(r, "new.default.svc.cluster.local.", Duration.ofSeconds(1));
        assertThat(addresses(m)).containsExactly("10.3.240.99");
        assertThat(addresses(r.send(query(WEB, Type.A)))).containsExactly("10.3.240.21");
    }

    @Test
    void removedNameBecomesNxdomain() throws Exception {
        startWatcher();
        SimpleResolver r = resolver(false);
        Map<String, List<DnsRecord>> changed = new LinkedHashMap<>(baseZone());
        changed.remove(HEADLESS);
        writeZone(changed);

        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        int rcode;
        do {
            rcode = r.send(query(HEADLESS, Type.A)).getRcode();
        } while (rcode != Rcode.NXDOMAIN && System.nanoTime() < deadline && pause());
        assertThat(rcode).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void brokenZoneFileKeepsTheOldZoneUntilFixed() throws Exception {
        startWatcher();
        SimpleResolver r = resolver(false);
        Path tmp = zoneFile.resolveSibling("zone.json.tmp");
        Files.writeString(tmp, "{\"broken\": [");
        Files.move(tmp, zoneFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(300); // three watcher rounds see the broken file

        assertThat(addresses(r.send(query(WEB, Type.A)))).containsExactly("10.3.240.20");

        Map<String, List<DnsRecord>> fixed = new LinkedHashMap<>(baseZone());
        fixed.put("fixed.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.3.240.77")));
        writeZone(fixed);
        assertThat(addresses(pollUntil(r, "fixed.default.svc.cluster.local.", Duration.ofSeconds(1)))).containsExactly("10.3.240.77");
    }

    @Test
    void missingZoneFileAtStartIsAnEmptyZoneThenLoaded() throws Exception {
        stop();
        Files.delete(zoneFile);
        serve(new DnsServer(zoneFile, "cluster.local")); // the pod may start before the lab writes the zone
        startWatcher();
        assertThat(resolver(false).send(query(WEB, Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        writeZone(baseZone());

        assertThat(addresses(pollUntil(resolver(false), WEB, Duration.ofSeconds(1)))).containsExactly("10.3.240.20");
    }

    /** Asks until the name has an answer or the time is up; returns the last answer. */
    private static Message pollUntil(SimpleResolver r, String name, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        Message m;
        do {
            m = r.send(query(name, Type.A));
        } while (m.getSection(Section.ANSWER).isEmpty() && System.nanoTime() < deadline && pause());
        return m;
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
