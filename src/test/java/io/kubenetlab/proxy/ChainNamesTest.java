package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainNamesTest {

    @Test
    void servicePortNameHasThePortNameOnlyWhenThePortIsNamed() {
        assertThat(ChainNames.servicePortName(svc("ns1", "svc1", "p80", "172.30.0.41", 80).build()))
                .isEqualTo("ns1/svc1:p80");
        assertThat(ChainNames.servicePortName(svc("ns2", "svc2", "", "172.30.0.42", 80).build()))
                .isEqualTo("ns2/svc2");
    }

    @Test
    void aNullPortNameIsUnnamed() {
        ServicePort sp = new ServicePort("ns2", "svc2", null, "TCP", null, 80, 0, null, null, null, 0, false, false, 0);
        assertThat(ChainNames.servicePortName(sp)).isEqualTo("ns2/svc2");
    }

    /** The verified table of the spec (section 2.2), including the IPv6 endpoint form. */
    @ParameterizedTest
    @CsvSource({
            "ns1/svc1:p80tcp, XPGD46QRK7WJZT7O",
            "ns2/svc2:p80tcp, GNZBNJ2PO5MGZ6GT",
            "ns3/svc3:p80tcp, X27LE4BHSL4DOUIK",
            "ns4/svc4:p80tcp, 4SW47YFZTEDKD3PK",
            "ns5/svc5:p80tcp, NUKIZ6OKUXPJNT4C",
            "ns1/svc1:p80tcp10.180.0.1:80, SXIVWICOYRO3J4NJ",
            "ns2/svc2:p80tcp10.180.0.2:80, RS4RBKLTHTF2IUXJ",
            "ns4/svc4:p80tcp10.180.0.4:80, UKSFD7AGPMPPLUHC",
            "ns4/svc4:p80tcp10.180.0.5:80, C6EBXVWJJZMIWKLZ",
            "ns5/svc5:p80tcp10.180.0.3:80, I77PXRDZVX7PMWMN",
            "ns2/svc2tcp, G77FM4R64KTEGMA5",
            "ns1/svc1:p80tcp[fd00:10:180::1]:80, OGYCNMB4EMRUSJ6N",
    })
    void hashIsSha256Base32First16(String hashed, String expected) {
        assertThat(ChainNames.hash(hashed)).isEqualTo(expected);
    }

    @Test
    void serviceChainsShareTheHashOfSpnAndLowerCaseProtocol() {
        ServicePort sp = svc("ns1", "svc1", "p80", "172.30.0.41", 80).build();
        assertThat(ChainNames.hash(sp)).isEqualTo("XPGD46QRK7WJZT7O");
        assertThat(ChainNames.svc(sp)).isEqualTo("KUBE-SVC-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.svl(sp)).isEqualTo("KUBE-SVL-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.ext(sp)).isEqualTo("KUBE-EXT-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.fw(sp)).isEqualTo("KUBE-FW-XPGD46QRK7WJZT7O");
    }

    @Test
    void endpointChainHashesSpnProtocolAndIpPort() {
        ServicePort sp = svc("ns1", "svc1", "p80", "172.30.0.41", 80).build();
        assertThat(ChainNames.sep(sp, ready("10.180.0.1:80", null))).isEqualTo("KUBE-SEP-SXIVWICOYRO3J4NJ");
        assertThat(ChainNames.sep(sp, ready("10.180.0.2:80", "node1"))).isEqualTo("KUBE-SEP-LXVODXWDISEETFEF");
        assertThat(ChainNames.endpoint(ready("10.180.0.10:80", null))).isEqualTo("10.180.0.10:80");
    }

    @Test
    void unnamedPortHashesWithoutColon() {
        ServicePort sp = svc("ns2", "svc2", "", "172.30.0.42", 80).build();
        assertThat(ChainNames.svc(sp)).isEqualTo("KUBE-SVC-G77FM4R64KTEGMA5");
        assertThat(ChainNames.sep(sp, ready("10.180.1.5:8080", null))).isEqualTo("KUBE-SEP-BUPESKZUUIUSBCNB");
    }

    @Test
    void protocolIsPartOfTheHash() {
        ServicePort udp = svc("kube-system", "kube-dns", "dns", "10.3.240.10", 53).protocol("UDP").build();
        assertThat(ChainNames.protocol(udp)).isEqualTo("udp");
        assertThat(ChainNames.svc(udp)).isEqualTo("KUBE-SVC-TCOU7JCQXEZGVUNU");
        assertThat(ChainNames.sep(udp, ready("10.180.0.7:53", null))).isEqualTo("KUBE-SEP-SLH2NB2YIGKY7AGT");
        ServicePort tcp = svc("kube-system", "kube-dns", "dns", "10.3.240.10", 53).build();
        assertThat(ChainNames.hash(tcp)).isNotEqualTo(ChainNames.hash(udp));
    }

    @Test
    void theArticleService() {
        ServicePort sp = svc("default", "service-test", "", "10.3.241.152", 80).build();
        assertThat(ChainNames.servicePortName(sp)).isEqualTo("default/service-test");
        assertThat(ChainNames.svc(sp)).isEqualTo("KUBE-SVC-GBTMB5ZTD56ECL5F");
        assertThat(ChainNames.sep(sp, ready("10.0.1.2:8080", "node1"))).isEqualTo("KUBE-SEP-SWDHQQVZNE4DIAR4");
        assertThat(ChainNames.sep(sp, ready("10.0.2.2:8080", "node2"))).isEqualTo("KUBE-SEP-CCUNI5TAEJBRFII7");
    }

    /** The hand-written encoder against commons-codec's RFC 4648 one: the first 16 characters must agree. */
    @Test
    void base32MatchesAReferenceEncoder() {
        Base32 reference = new Base32();
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[10 + random.nextInt(23)];
            random.nextBytes(bytes);
            assertThat(ChainNames.base32First16(bytes)).isEqualTo(reference.encodeAsString(bytes).substring(0, 16));
        }
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        assertThat(ChainNames.base32First16(ones)).isEqualTo("7777777777777777");
        assertThat(ChainNames.base32First16(new byte[32])).isEqualTo("AAAAAAAAAAAAAAAA");
    }
}
