package io.kubenetlab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

    @Test
    void parsesDottedQuad() {
        Ipv4 ip = Ipv4.parse("10.100.0.2");
        assertThat(ip.bits()).isEqualTo((10 << 24) | (100 << 16) | 2);
        assertThat(ip).hasToString("10.100.0.2");
    }

    @Test
    void parsesExtremes() {
        assertThat(Ipv4.parse("0.0.0.0").bits()).isZero();
        assertThat(Ipv4.parse("255.255.255.255").bits()).isEqualTo(-1);
        assertThat(Ipv4.parse("255.255.255.255").unsigned()).isEqualTo(0xFFFF_FFFFL);
        assertThat(Ipv4.parse("255.255.255.255")).hasToString("255.255.255.255");
    }

    @Test
    void trimsSurroundingWhitespace() {
        assertThat(Ipv4.parse(" 10.0.0.1 ")).isEqualTo(Ipv4.parse("10.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10.0.0", "10.0.0.1.2", "10.0.0.256", "10.0.0.-1", "10..0.1", "10.0.0.",
            "a.b.c.d", "10.0.0.1/24", "1000.0.0.1", "10.0.0.0001", "10.0.0.+1", "10.0.0. 1", "::1", "10.0.0.1x"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> Ipv4.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 address")
                .hasMessageContaining(text);
    }

    @Test
    void plusCarriesAcrossOctets() {
        assertThat(Ipv4.parse("10.0.0.255").plus(1)).hasToString("10.0.1.0");
        assertThat(Ipv4.parse("10.0.255.255").plus(2)).hasToString("10.1.0.1");
        assertThat(Ipv4.parse("10.0.0.1").plus(0)).hasToString("10.0.0.1");
        assertThat(Ipv4.parse("127.255.255.255").plus(1)).hasToString("128.0.0.0");
    }

    @Test
    void plusWrapsAtTheTopOfTheAddressSpace() {
        assertThat(Ipv4.parse("255.255.255.255").plus(1)).hasToString("0.0.0.0");
    }

    @Test
    void comparesUnsigned() {
        Ipv4 low = Ipv4.parse("10.0.0.1");
        Ipv4 high = Ipv4.parse("200.0.0.1"); // negative as a signed int
        assertThat(high.bits()).isNegative();
        assertThat(low.compareTo(high)).isNegative();
        assertThat(high.compareTo(low)).isPositive();
        assertThat(low.compareTo(Ipv4.parse("10.0.0.1"))).isZero();

        List<Ipv4> list = new ArrayList<>(List.of(high, Ipv4.parse("128.0.0.0"), low, Ipv4.parse("0.0.0.0")));
        Collections.sort(list);
        assertThat(list).extracting(Ipv4::toString).containsExactly("0.0.0.0", "10.0.0.1", "128.0.0.0", "200.0.0.1");
    }

    @Test
    void equalityIsByValue() {
        assertThat(Ipv4.parse("10.3.240.10")).isEqualTo(new Ipv4(Ipv4.parse("10.3.240.10").bits()));
        assertThat(Ipv4.parse("10.3.240.10")).hasSameHashCodeAs(Ipv4.parse("10.3.240.10"));
        assertThat(Ipv4.parse("10.3.240.10")).isNotEqualTo(Ipv4.parse("10.3.240.11"));
    }

    record Holder(Ipv4 ip, List<Ipv4> more) {}

    @Test
    void jsonRoundTripAsPlainString() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Ipv4 ip = Ipv4.parse("10.0.2.2");
        assertThat(json.writeValueAsString(ip)).isEqualTo("\"10.0.2.2\"");
        assertThat(json.readValue("\"10.0.2.2\"", Ipv4.class)).isEqualTo(ip);

        Holder h = new Holder(ip, List.of(Ipv4.parse("10.0.1.2"), Ipv4.parse("200.1.2.3")));
        String text = json.writeValueAsString(h);
        assertThat(text).isEqualTo("{\"ip\":\"10.0.2.2\",\"more\":[\"10.0.1.2\",\"200.1.2.3\"]}");
        assertThat(json.readValue(text, Holder.class)).isEqualTo(h);
    }

    @Test
    void jsonRejectsBadAddress() {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> json.readValue("\"10.0.0.300\"", Ipv4.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("not an IPv4 address: \"10.0.0.300\"");
    }
}
