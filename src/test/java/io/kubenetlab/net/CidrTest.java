package io.kubenetlab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static Cidr c(String s) {
        return Cidr.parse(s);
    }

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    @Test
    void parsesNetworkAndPrefix() {
        Cidr cidr = c("10.3.240.0/20");
        assertThat(cidr.network()).isEqualTo(ip("10.3.240.0"));
        assertThat(cidr.prefix()).isEqualTo(20);
        assertThat(cidr).hasToString("10.3.240.0/20");
        assertThat(cidr.size()).isEqualTo(4096);
    }

    @Test
    void parsesExtremePrefixes() {
        assertThat(c("0.0.0.0/0").size()).isEqualTo(1L << 32);
        assertThat(c("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
        assertThat(c("10.0.0.7/32").size()).isEqualTo(1);
        assertThat(c("10.0.0.7/32").contains(ip("10.0.0.7"))).isTrue();
        assertThat(c("10.0.0.7/32").contains(ip("10.0.0.6"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/100",
            "10.0.0.0/24/1", "10.0.0.0/ "})
    void rejectsBadPrefixSyntax(String text) {
        assertThatThrownBy(() -> c(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.contains("/") ? "bad prefix length" : "not a CIDR")
                .hasMessageContaining(text);
    }

    @Test
    void rejectsPrefixAbove32() {
        assertThatThrownBy(() -> c("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length must be 0-32");
        assertThatThrownBy(() -> new Cidr(ip("10.0.0.0"), -1)).hasMessage("prefix length must be 0-32");
    }

    @Test
    void rejectsBadAddress() {
        assertThatThrownBy(() -> c("10.0.0.256/24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> c("/24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 address");
    }

    @Test
    void rejectsHostBitsAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> c("10.0.1.5/24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host bits set in 10.0.1.5/24 (did you mean 10.0.1.0/24?)");
        assertThatThrownBy(() -> c("10.3.241.0/20")).hasMessageContaining("did you mean 10.3.240.0/20?");
        assertThatThrownBy(() -> c("1.0.0.0/0")).hasMessageContaining("did you mean 0.0.0.0/0?");
        assertThatThrownBy(() -> c("10.0.0.1/31")).hasMessageContaining("did you mean 10.0.0.0/31?");
    }

    @Test
    void containsAddress() {
        Cidr cluster = c("10.0.0.0/14");
        assertThat(cluster.contains(ip("10.0.0.0"))).isTrue();
        assertThat(cluster.contains(ip("10.3.255.255"))).isTrue();
        assertThat(cluster.contains(ip("10.4.0.0"))).isFalse();
        assertThat(cluster.contains(ip("9.255.255.255"))).isFalse();
        assertThat(c("200.0.0.0/8").contains(ip("200.255.0.1"))).isTrue();
        assertThat(c("200.0.0.0/8").contains(ip("201.0.0.1"))).isFalse();
    }

    @Test
    void containsCidr() {
        Cidr cluster = c("10.0.0.0/14");
        assertThat(cluster.contains(c("10.0.1.0/24"))).isTrue();
        assertThat(cluster.contains(c("10.3.240.0/20"))).isTrue();
        assertThat(cluster.contains(cluster)).isTrue();
        assertThat(cluster.contains(c("10.0.0.0/13"))).isFalse();
        assertThat(cluster.contains(c("10.4.0.0/24"))).isFalse();
        assertThat(c("10.0.1.0/24").contains(cluster)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/14, 10.3.240.0/20, true",
            "10.0.0.0/14, 10.4.0.0/14, false",
            "10.0.1.0/24, 10.0.2.0/24, false",
            "10.0.1.0/24, 10.0.1.128/25, true",
            "10.100.0.0/24, 10.0.0.0/14, false",
            "10.0.0.0/8, 10.100.0.0/24, true",
            "0.0.0.0/0, 192.168.0.0/16, true",
            "10.0.0.0/31, 10.0.0.2/31, false",
            "10.0.0.5/32, 10.0.0.5/32, true",
    })
    void overlapsIsSymmetric(String a, String b, boolean expected) {
        assertThat(c(a).overlaps(c(b))).isEqualTo(expected);
        assertThat(c(b).overlaps(c(a))).isEqualTo(expected);
    }

    @Test
    void addressByIndex() {
        Cidr pods = c("10.0.1.0/24");
        assertThat(pods.address(0)).isEqualTo(ip("10.0.1.0"));
        assertThat(pods.address(1)).isEqualTo(ip("10.0.1.1"));
        assertThat(pods.address(255)).isEqualTo(ip("10.0.1.255"));
        assertThat(pods.broadcast()).isEqualTo(ip("10.0.1.255"));
        assertThat(c("10.3.240.0/20").address(10)).isEqualTo(ip("10.3.240.10"));
        assertThat(c("10.3.240.0/20").address(256)).isEqualTo(ip("10.3.241.0"));
        assertThat(c("10.3.240.0/20").broadcast()).isEqualTo(ip("10.3.255.255"));
        assertThat(c("0.0.0.0/0").broadcast()).isEqualTo(ip("255.255.255.255"));
    }

    @Test
    void addressOutsideTheNetworkIsRejected() {
        Cidr pods = c("10.0.1.0/24");
        assertThatThrownBy(() -> pods.address(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address #256 is outside 10.0.1.0/24");
        assertThatThrownBy(() -> pods.address(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address #-1 is outside 10.0.1.0/24");
    }

    @Test
    void subnetCarving() {
        Cidr cluster = c("10.0.0.0/14");
        assertThat(cluster.subnetCount(24)).isEqualTo(1024);
        assertThat(cluster.subnetCount(14)).isEqualTo(1);
        assertThat(cluster.subnet(24, 0)).isEqualTo(c("10.0.0.0/24"));
        assertThat(cluster.subnet(24, 1)).isEqualTo(c("10.0.1.0/24"));
        assertThat(cluster.subnet(24, 2)).isEqualTo(c("10.0.2.0/24"));
        assertThat(cluster.subnet(24, 256)).isEqualTo(c("10.1.0.0/24"));
        assertThat(cluster.subnet(24, 1023)).isEqualTo(c("10.3.255.0/24"));
        assertThat(cluster.subnet(20, 63)).isEqualTo(c("10.3.240.0/20"));
        assertThat(cluster.subnet(14, 0)).isEqualTo(cluster);
        assertThat(c("10.0.0.0/24").subnet(26, 3)).isEqualTo(c("10.0.0.192/26"));
        assertThat(c("10.0.0.0/24").subnet(32, 255)).isEqualTo(c("10.0.0.255/32"));
    }

    @Test
    void subnetsTileTheNetworkWithoutOverlap() {
        Cidr net = c("192.168.0.0/22");
        for (int i = 0; i < net.subnetCount(24); i++) {
            Cidr s = net.subnet(24, i);
            assertThat(net.contains(s)).isTrue();
            for (int j = i + 1; j < net.subnetCount(24); j++) assertThat(s.overlaps(net.subnet(24, j))).isFalse();
        }
    }

    @Test
    void subnetErrors() {
        Cidr cluster = c("10.0.0.0/14");
        assertThatThrownBy(() -> cluster.subnet(13, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/13 is larger than 10.0.0.0/14");
        assertThatThrownBy(() -> cluster.subnet(24, 1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet #1024 is outside 10.0.0.0/14");
        assertThatThrownBy(() -> cluster.subnet(24, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet #-1 is outside 10.0.0.0/14");
    }

    @Test
    void withPrefixFormatsForIpAddrAdd() {
        assertThat(c("10.100.0.0/24").withPrefix(ip("10.100.0.2"))).isEqualTo("10.100.0.2/24");
        assertThat(c("10.0.1.0/24").withPrefix(c("10.0.1.0/24").address(1))).isEqualTo("10.0.1.1/24");
    }

    @Test
    void equalityIsByValue() {
        assertThat(c("10.0.1.0/24")).isEqualTo(new Cidr(ip("10.0.1.0"), 24));
        assertThat(c("10.0.1.0/24")).isNotEqualTo(c("10.0.1.0/25"));
    }

    record Holder(Cidr cidr, List<Cidr> more) {}

    @Test
    void jsonRoundTripAsPlainString() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Cidr cidr = c("10.3.240.0/20");
        assertThat(json.writeValueAsString(cidr)).isEqualTo("\"10.3.240.0/20\"");
        assertThat(json.readValue("\"10.3.240.0/20\"", Cidr.class)).isEqualTo(cidr);

        Holder h = new Holder(c("10.0.0.0/14"), List.of(c("10.0.1.0/24"), c("10.0.2.0/24")));
        String text = json.writeValueAsString(h);
        assertThat(text).isEqualTo("{\"cidr\":\"10.0.0.0/14\",\"more\":[\"10.0.1.0/24\",\"10.0.2.0/24\"]}");
        assertThat(json.readValue(text, Holder.class)).isEqualTo(h);
    }

    @Test
    void jsonRejectsHostBits() {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> json.readValue("\"10.0.1.5/24\"", Cidr.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("host bits set in 10.0.1.5/24 (did you mean 10.0.1.0/24?)");
    }
}
