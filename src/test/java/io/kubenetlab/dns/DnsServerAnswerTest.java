package io.kubenetlab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/** {@link DnsServer#answer} on queries built with dnsjava, no sockets. */
class DnsServerAnswerTest {

    static final Map<String, List<DnsRecord>> ZONE = Map.of(
            "service-test.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.3.241.152")),
            "_http._tcp.service-test.default.svc.cluster.local.",
            List.of(new DnsRecord("SRV", "0 100 80 service-test.default.svc.cluster.local.")),
            "service-test-headless.default.svc.cluster.local.",
            List.of(new DnsRecord("A", "10.0.1.2"), new DnsRecord("A", "10.0.2.2"), new DnsRecord("A", "10.0.2.3")),
            "10-0-1-2.service-test-headless.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.0.1.2")),
            "10-0-2-2.service-test-headless.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.0.2.2")),
            "_web._tcp.service-test-headless.default.svc.cluster.local.", List.of(
                    new DnsRecord("SRV", "0 100 8080 10-0-1-2.service-test-headless.default.svc.cluster.local."),
                    new DnsRecord("SRV", "0 100 8080 10-0-2-2.service-test-headless.default.svc.cluster.local.")),
            "empty.default.svc.cluster.local.", List.of(),
            "ext.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "db.example.com.")),
            "database.default.svc.cluster.local.", List.of(new DnsRecord("A", "192.0.2.42")));

    DnsServer server;

    @BeforeEach
    void setUp() {
        server = new DnsServer(Path.of("/nonexistent/zone.json"), "cluster.local");
        server.setZone(ZONE);
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    Message ask(String name, int type) throws IOException {
        Message response = server.answer(query(name, type));
        // what goes on the wire must parse back: answers are checked as a client would read them
        return new Message(response.toWire());
    }

    static List<String> addresses(Message m, int section) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(section)) {
            if (r instanceof ARecord a) out.add(a.getAddress().getHostAddress());
        }
        return out;
    }

    // ------------------------------------------------------------------ A

    @Test
    void clusterIpAnswerIsAuthoritativeWithTtl5() throws IOException {
        Message m = ask("service-test.default.svc.cluster.local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r).isInstanceOf(ARecord.class);
            assertThat(r.getName()).isEqualTo(Name.fromString("service-test.default.svc.cluster.local."));
            assertThat(r.getTTL()).isEqualTo(5);
            assertThat(r.getDClass()).isEqualTo(DClass.IN);
            assertThat(((ARecord) r).getAddress()).isEqualTo(InetAddress.getByName("10.3.241.152"));
        });
        assertThat(m.getSection(Section.AUTHORITY)).isEmpty();
    }

    @Test
    void questionIsEchoed() throws IOException {
        Message m = ask("service-test.default.svc.cluster.local.", Type.A);

        assertThat(m.getQuestion()).isEqualTo(Record.newRecord(Name.fromString("service-test.default.svc.cluster.local."), Type.A, DClass.IN));
    }

    @Test
    void articleDatabaseResolvesToTheOutsideServer() throws IOException {
        Message m = ask("database.default.svc.cluster.local.", Type.A);

        assertThat(addresses(m, Section.ANSWER)).containsExactly("192.0.2.42");
    }

    @Test
    void headlessAnswerHoldsEveryAddressAndRotatesBetweenQueries() throws IOException {
        Message first = ask("service-test-headless.default.svc.cluster.local.", Type.A);
        Message second = ask("service-test-headless.default.svc.cluster.local.", Type.A);

        assertThat(addresses(first, Section.ANSWER)).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2", "10.0.2.3");
        assertThat(addresses(second, Section.ANSWER)).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2", "10.0.2.3");
        assertThat(addresses(second, Section.ANSWER)).isNotEqualTo(addresses(first, Section.ANSWER));
        assertThat(first.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(5));
    }

    @Test
    void headlessFirstAddressCyclesThroughEveryEndpoint() throws IOException {
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            firsts.add(addresses(ask("service-test-headless.default.svc.cluster.local.", Type.A), Section.ANSWER).get(0));
        }

        assertThat(firsts).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2", "10.0.2.3");
    }

    @Test
    void aaaaQueriesDoNotDisturbTheARotation() throws IOException {
        server.setZone(Map.of("hl.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.0.1.2"), new DnsRecord("A", "10.0.2.2"))));
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // what getaddrinfo(AF_UNSPEC) does for every lookup
            firsts.add(addresses(ask("hl.default.svc.cluster.local.", Type.A), Section.ANSWER).get(0));
            ask("hl.default.svc.cluster.local.", Type.AAAA);
        }

        assertThat(firsts).containsOnly("10.0.1.2", "10.0.2.2").contains("10.0.1.2", "10.0.2.2");
    }

    @Test
    void singleAddressIsNotRotated() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(addresses(ask("database.default.svc.cluster.local.", Type.A), Section.ANSWER)).containsExactly("192.0.2.42");
        }
    }

    @Test
    void headlessEndpointHasItsOwnName() throws IOException {
        Message m = ask("10-0-2-2.service-test-headless.default.svc.cluster.local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(m, Section.ANSWER)).containsExactly("10.0.2.2");
    }

    // ------------------------------------------------------------------ NXDOMAIN, REFUSED, NODATA

    @Test
    void unknownNameInClusterDomainIsNxdomainWithSoa() throws IOException {
        Message m = ask("nope.default.svc.cluster.local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOfSatisfying(SOARecord.class, soa -> {
            assertThat(soa.getName()).isEqualTo(Name.fromConstantString("cluster.local."));
            assertThat(soa.getMinimum()).isEqualTo(5); // negative answers are cached as briefly as positive ones
        });
    }

    @Test
    void searchPathExpansionsAreNxdomain() throws IOException {
        // ndots:5 makes a pod try service-test.default.default.svc.cluster.local. etc. before the right name
        assertThat(ask("service-test.default.default.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("example.com.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("x.service-test.default.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void nameOutsideTheClusterDomainIsRefusedNotAuthoritative() throws IOException {
        Message m = ask("example.com.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).isEmpty();
    }

    @Test
    void suffixLookalikeIsOutsideTheDomain() throws IOException {
        // "evilcluster.local." ends with the same characters but is not a subdomain
        assertThat(ask("evilcluster.local.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask("local.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void aaaaForAnExistingNameIsNodata() throws IOException {
        // glibc asks A and AAAA: an NXDOMAIN here would make it discard the A answer
        Message m = ask("service-test.default.svc.cluster.local.", Type.AAAA);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void aaaaForAHeadlessNameIsNodata() throws IOException {
        Message m = ask("service-test-headless.default.svc.cluster.local.", Type.AAAA);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void headlessServiceWithoutReadyEndpointIsNodataNotNxdomain() throws IOException {
        Message m = ask("empty.default.svc.cluster.local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void otherTypesForAnExistingNameAreNodata() throws IOException {
        for (int type : new int[] {Type.TXT, Type.MX, Type.SRV}) {
            Message m = ask("service-test.default.svc.cluster.local.", type);
            assertThat(m.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
            assertThat(m.getSection(Section.ANSWER)).as(Type.string(type)).isEmpty();
        }
        Message a = ask("_http._tcp.service-test.default.svc.cluster.local.", Type.A);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(a.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void zoneApexAndEmptyNonTerminalsExist() throws IOException {
        Message apex = ask("cluster.local.", Type.SOA);
        assertThat(apex.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(apex.getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);

        for (String ent : List.of("svc.cluster.local.", "default.svc.cluster.local.")) {
            assertThat(ask(ent, Type.A).getRcode()).as(ent).isEqualTo(Rcode.NOERROR);
        }
    }

    // ------------------------------------------------------------------ SRV

    @Test
    void srvAnswerCarriesTheTargetsAddressInAdditional() throws IOException {
        Message m = ask("_http._tcp.service-test.default.svc.cluster.local.", Type.SRV);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(SRVRecord.class, srv -> {
            assertThat(srv.getPriority()).isZero();
            assertThat(srv.getWeight()).isEqualTo(100);
            assertThat(srv.getPort()).isEqualTo(80);
            assertThat(srv.getTarget()).isEqualTo(Name.fromConstantString("service-test.default.svc.cluster.local."));
            assertThat(srv.getTTL()).isEqualTo(5);
        });
        assertThat(m.getSection(Section.ADDITIONAL)).singleElement().isInstanceOfSatisfying(ARecord.class, a -> {
            assertThat(a.getName()).isEqualTo(Name.fromConstantString("service-test.default.svc.cluster.local."));
            assertThat(a.getAddress().getHostAddress()).isEqualTo("10.3.241.152");
        });
    }

    @Test
    void headlessSrvAnswerHasOneRecordPerEndpointAndTheirAddresses() throws IOException {
        Message m = ask("_web._tcp.service-test-headless.default.svc.cluster.local.", Type.SRV);

        assertThat(m.getSection(Section.ANSWER)).hasSize(2).allSatisfy(r -> assertThat(((SRVRecord) r).getPort()).isEqualTo(8080));
        assertThat(m.getSection(Section.ANSWER)).extracting(r -> ((SRVRecord) r).getTarget().toString()).containsExactlyInAnyOrder(
                "10-0-1-2.service-test-headless.default.svc.cluster.local.",
                "10-0-2-2.service-test-headless.default.svc.cluster.local.");
        assertThat(m.getSection(Section.ADDITIONAL)).allSatisfy(r -> assertThat(r).isInstanceOf(ARecord.class));
        assertThat(addresses(m, Section.ADDITIONAL)).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2");
    }

    // ------------------------------------------------------------------ CNAME

    @Test
    void externalNameIsACname() throws IOException {
        Message m = ask("ext.default.svc.cluster.local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(CNAMERecord.class, c -> {
            assertThat(c.getName()).isEqualTo(Name.fromConstantString("ext.default.svc.cluster.local."));
            assertThat(c.getTarget()).isEqualTo(Name.fromConstantString("db.example.com."));
            assertThat(c.getTTL()).isEqualTo(5);
        });
    }

    @Test
    void externalNameAnswersTheCnameForAnyType() throws IOException {
        for (int type : new int[] {Type.AAAA, Type.CNAME, Type.SRV}) {
            Message m = ask("ext.default.svc.cluster.local.", type);
            assertThat(m.getSection(Section.ANSWER)).as(Type.string(type)).singleElement().isInstanceOf(CNAMERecord.class);
        }
    }

    // ExternalName to a name inside the cluster domain: CoreDNS follows it (plugin/backend_lookup.go A()).

    static final Map<String, List<DnsRecord>> CHAINS = Map.of(
            "web.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.3.241.152")),
            "hl.default.svc.cluster.local.", List.of(new DnsRecord("A", "10.0.1.2"), new DnsRecord("A", "10.0.2.2")),
            "to-web.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "web.default.svc.cluster.local.")),
            "to-hl.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "hl.default.svc.cluster.local.")),
            "to-to-web.other.svc.cluster.local.", List.of(new DnsRecord("CNAME", "to-web.default.svc.cluster.local.")),
            "to-nothing.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "gone.default.svc.cluster.local.")),
            "to-ext.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "ext.default.svc.cluster.local.")),
            "ext.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "db.example.com.")),
            "loop-a.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "loop-b.default.svc.cluster.local.")),
            "loop-b.default.svc.cluster.local.", List.of(new DnsRecord("CNAME", "loop-a.default.svc.cluster.local.")));

    static List<String> answerText(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString()).toList();
    }

    @Test
    void externalNameInTheClusterDomainAnswersTheCnameAndTheTargetsAddress() throws IOException {
        server.setZone(CHAINS);

        Message m = ask("to-web.default.svc.cluster.local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(answerText(m)).containsExactly(
                "to-web.default.svc.cluster.local. CNAME web.default.svc.cluster.local.",
                "web.default.svc.cluster.local. A 10.3.241.152");
    }

    @Test
    void externalNameToAHeadlessServiceAnswersEveryReadyAddress() throws IOException {
        server.setZone(CHAINS);

        Message m = ask("to-hl.default.svc.cluster.local.", Type.A);

        assertThat(m.getSection(Section.ANSWER).get(0)).isInstanceOf(CNAMERecord.class);
        assertThat(addresses(m, Section.ANSWER)).containsExactlyInAnyOrder("10.0.1.2", "10.0.2.2");
    }

    @Test
    void aChainOfExternalNamesIsFollowedToTheAddress() throws IOException {
        server.setZone(CHAINS);

        assertThat(answerText(ask("to-to-web.other.svc.cluster.local.", Type.A))).containsExactly(
                "to-to-web.other.svc.cluster.local. CNAME to-web.default.svc.cluster.local.",
                "to-web.default.svc.cluster.local. CNAME web.default.svc.cluster.local.",
                "web.default.svc.cluster.local. A 10.3.241.152");
    }

    @Test
    void anInClusterTargetThatDoesNotResolveIsNodataWithoutTheCname() throws IOException {
        server.setZone(CHAINS);

        for (String n : List.of("to-nothing.default.svc.cluster.local.", "loop-a.default.svc.cluster.local.")) {
            Message m = ask(n, Type.A);
            assertThat(m.getRcode()).as(n).isEqualTo(Rcode.NOERROR);
            assertThat(m.getSection(Section.ANSWER)).as(n).isEmpty();
            assertThat(m.getSection(Section.AUTHORITY)).as(n).singleElement().isInstanceOf(SOARecord.class);
        }
    }

    @Test
    void aaaaForAnInClusterTargetIsNodata() throws IOException {
        server.setZone(CHAINS);

        Message m = ask("to-web.default.svc.cluster.local.", Type.AAAA);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void aTargetOutsideTheClusterDomainIsTheCnameAloneAsCorednsWithoutAnUpstream() throws IOException {
        server.setZone(CHAINS);

        Message direct = ask("ext.default.svc.cluster.local.", Type.A);
        assertThat(direct.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answerText(direct)).containsExactly("ext.default.svc.cluster.local. CNAME db.example.com.");
        assertThat(answerText(ask("to-ext.default.svc.cluster.local.", Type.A))).containsExactly(
                "to-ext.default.svc.cluster.local. CNAME ext.default.svc.cluster.local.",
                "ext.default.svc.cluster.local. CNAME db.example.com.");
    }

    @Test
    void cnameQueriesGetTheCnameOnly() throws IOException {
        server.setZone(CHAINS);

        assertThat(answerText(ask("to-web.default.svc.cluster.local.", Type.CNAME)))
                .containsExactly("to-web.default.svc.cluster.local. CNAME web.default.svc.cluster.local.");
    }

    @Test
    void recursionAvailableIsNeverSetAsCorednsKubernetesAnswers() throws IOException {
        server.setZone(CHAINS);

        for (String n : List.of("web.default.svc.cluster.local.", "to-web.default.svc.cluster.local.", "nope.cluster.local.", "example.com.")) {
            assertThat(ask(n, Type.A).getHeader().getFlag(Flags.RA)).as(n).isFalse();
        }
    }

    // ------------------------------------------------------------------ header

    @Test
    void queryIdIsEchoed() throws IOException {
        for (int id : new int[] {0, 1, 4242, 65535}) {
            Message q = query("service-test.default.svc.cluster.local.", Type.A);
            q.getHeader().setID(id);
            assertThat(server.answer(q).getHeader().getID()).isEqualTo(id);
        }
        Message refused = query("example.com.", Type.A);
        refused.getHeader().setID(777);
        assertThat(server.answer(refused).getHeader().getID()).isEqualTo(777);
        Message nx = query("nope.cluster.local.", Type.A);
        nx.getHeader().setID(778);
        assertThat(server.answer(nx).getHeader().getID()).isEqualTo(778);
    }

    @Test
    void recursionDesiredIsCopied() throws IOException {
        Message withRd = query("service-test.default.svc.cluster.local.", Type.A);
        assertThat(withRd.getHeader().getFlag(Flags.RD)).isTrue(); // dnsjava's newQuery sets it
        assertThat(server.answer(withRd).getHeader().getFlag(Flags.RD)).isTrue();

        Message withoutRd = query("service-test.default.svc.cluster.local.", Type.A);
        withoutRd.getHeader().unsetFlag(Flags.RD);
        assertThat(server.answer(withoutRd).getHeader().getFlag(Flags.RD)).isFalse();
    }

    @Test
    void namesAreCaseInsensitive() throws IOException {
        Message m = ask("Service-TEST.Default.SVC.Cluster.Local.", Type.A);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(m, Section.ANSWER)).containsExactly("10.3.241.152");
        // the answer's owner name is the question's, as 0x20-randomising resolvers check
        assertThat(m.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("Service-TEST.Default.SVC.Cluster.Local.");
        assertThat(ask("SERVICE-TEST.DEFAULT.SVC.CLUSTER.LOCAL.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask("_HTTP._TCP.service-test.default.svc.cluster.local.", Type.SRV).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void messageWithoutQuestionIsFormerr() throws IOException {
        Message empty = new Message(99);

        Message m = server.answer(empty);

        assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(m.getHeader().getID()).isEqualTo(99);
        assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    }

    @Test
    void domainMayBeGivenWithTrailingDot() throws IOException {
        DnsServer dotted = new DnsServer(Path.of("/nonexistent/zone.json"), "cluster.local.");
        dotted.setZone(ZONE);

        assertThat(addresses(dotted.answer(query("service-test.default.svc.cluster.local.", Type.A)), Section.ANSWER))
                .containsExactly("10.3.241.152");
    }

    @Test
    void zoneFromClusterDnsRecordsIsServed() throws IOException {
        var db = ClusterDnsRecordsTest.headless("database", ClusterDnsRecordsTest.port("pg", "TCP", 5432, 5432));
        var web = ClusterDnsRecordsTest.clusterIP("web", "10.3.240.20", ClusterDnsRecordsTest.port("http", "TCP", 80, 8080));
        server.setZone(ClusterDnsRecords.zone("cluster.local", List.of(db, web),
                Map.of("default/database", List.of(ClusterDnsRecordsTest.ready("192.0.2.42", "pg", 5432)))));

        assertThat(addresses(ask("database.default.svc.cluster.local.", Type.A), Section.ANSWER)).containsExactly("192.0.2.42");
        Message srv = ask("_pg._tcp.database.default.svc.cluster.local.", Type.SRV);
        assertThat(srv.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(SRVRecord.class, r -> {
            assertThat(r.getPort()).isEqualTo(5432);
            assertThat(r.getTarget().toString()).isEqualTo("192-0-2-42.database.default.svc.cluster.local.");
        });
        assertThat(addresses(srv, Section.ADDITIONAL)).containsExactly("192.0.2.42");
        Message webSrv = ask("_http._tcp.web.default.svc.cluster.local.", Type.SRV);
        assertThat(((SRVRecord) webSrv.getSection(Section.ANSWER).get(0)).getPort()).isEqualTo(80);
        assertThat(addresses(webSrv, Section.ADDITIONAL)).containsExactly("10.3.240.20");
    }

    @Test
    void anyQueryReturnsAddresses() throws IOException {
        Message m = ask("service-test.default.svc.cluster.local.", Type.ANY);

        assertThat(addresses(m, Section.ANSWER)).containsExactly("10.3.241.152");
    }
}
