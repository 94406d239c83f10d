package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.model.LabException;
import io.kubenetlab.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultRulesTest {

    @Test
    void aPartitionDropsThePeersAddressesAndPodCidrOnEveryHookInATableOfItsOwn() {
        String tx = FaultRules.partition("flt-1", "node2", List.of(Cidr.parse("10.100.0.3/32"), Cidr.parse("10.0.2.1/32"), Cidr.parse("10.0.2.0/24")));
        assertThat(tx).isEqualTo("""
                add table inet kubenetlab-faults { comment "kubenetlab flt-1: faults" ; }
                add chain inet kubenetlab-faults partition-node2-input { type filter hook input priority -10 ; policy accept ; }
                flush chain inet kubenetlab-faults partition-node2-input
                add rule inet kubenetlab-faults partition-node2-input ip saddr { 10.100.0.3, 10.0.2.0/24 } drop
                add chain inet kubenetlab-faults partition-node2-forward { type filter hook forward priority -10 ; policy accept ; }
                flush chain inet kubenetlab-faults partition-node2-forward
                add rule inet kubenetlab-faults partition-node2-forward ip saddr { 10.100.0.3, 10.0.2.0/24 } drop
                add rule inet kubenetlab-faults partition-node2-forward ip daddr { 10.100.0.3, 10.0.2.0/24 } drop
                add chain inet kubenetlab-faults partition-node2-output { type filter hook output priority -10 ; policy accept ; }
                flush chain inet kubenetlab-faults partition-node2-output
                add rule inet kubenetlab-faults partition-node2-output ip daddr { 10.100.0.3, 10.0.2.0/24 } drop
                """);
        assertThat(tx).doesNotContain("flush ruleset").doesNotContain("flush table");
    }

    @Test
    void elementsLeaveOutDuplicatesAndAddressesInsideAnotherCidr() {
        assertThat(FaultRules.elements(List.of(Cidr.parse("10.0.2.0/24"), Cidr.parse("10.0.2.0/32"), Cidr.parse("10.100.0.3/32"),
                Cidr.parse("10.100.0.3/32")))).isEqualTo("{ 10.0.2.0/24, 10.100.0.3 }");
    }

    private static final String TWO_PEERS = """
            table inet kubenetlab-faults {
            \tcomment "kubenetlab flt-1: faults"
            \tchain partition-node2-input {
            \t\ttype filter hook input priority filter - 10; policy accept;
            \t\tip saddr { 10.0.2.0/24, 10.100.0.3 } drop
            \t}

            \tchain partition-node2-forward {
            \t\ttype filter hook forward priority filter - 10; policy accept;
            \t}

            \tchain partition-node2-output {
            \t\ttype filter hook output priority filter - 10; policy accept;
            \t}

            \tchain partition-ext-client-input {
            \t\ttype filter hook input priority filter - 10; policy accept;
            \t}
            }
            """;

    @Test
    void healDeletesOnlyThatPeersChainsAndTheTableWithTheLast() {
        assertThat(FaultRules.chains(TWO_PEERS)).containsExactly("partition-node2-input", "partition-node2-forward", "partition-node2-output",
                "partition-ext-client-input");
        assertThat(FaultRules.heal("node2", TWO_PEERS)).isEqualTo("""
                delete chain inet kubenetlab-faults partition-node2-input
                delete chain inet kubenetlab-faults partition-node2-forward
                delete chain inet kubenetlab-faults partition-node2-output
                """);
        assertThat(FaultRules.heal("ext-client", TWO_PEERS)).isEqualTo("delete chain inet kubenetlab-faults partition-ext-client-input\n");
        String onlyNode2 = TWO_PEERS.replaceAll("(?s)\tchain partition-ext-client-input \\{.*?\t}\n", "");
        assertThat(FaultRules.heal("node2", onlyNode2)).isEqualTo("delete table inet kubenetlab-faults\n");
        assertThat(FaultRules.heal("database", TWO_PEERS)).isEmpty();
        assertThat(FaultRules.heal("node2", "")).isEmpty();
    }

    @Test
    void ratesAreTcsSpellingsWithUnits() {
        assertThat(FaultRules.rate("2mbit").bitsPerSecond()).isEqualTo(2e6);
        assertThat(FaultRules.rate(" 1Mbit ").text()).isEqualTo("1mbit");
        assertThat(FaultRules.rate("500kbit").bitsPerSecond()).isEqualTo(5e5);
        assertThat(FaultRules.rate("100kbps").bitsPerSecond()).isEqualTo(8e5);
        assertThat(FaultRules.rate("1mibit").bitsPerSecond()).isEqualTo(1024d * 1024);
        assertThat(FaultRules.rate("1.5gbit").bitsPerSecond()).isEqualTo(1.5e9);
        assertThat(FaultRules.rate("64000").bitsPerSecond()).isEqualTo(64000);
    }

    @Test
    void badRatesSayWhatIsWrong() {
        for (String bad : List.of("", "fast", "1 mbit", "1mb", "-1mbit", "1e6bit", "mbit", "2mbit; rm", "1.mbit")) {
            assertThatThrownBy(() -> FaultRules.rate(bad)).as(bad).isInstanceOf(LabException.class).hasMessageContaining("rate");
        }
        assertThatThrownBy(() -> FaultRules.rate(null)).isInstanceOf(LabException.class).hasMessageContaining("no rate");
        assertThatThrownBy(() -> FaultRules.rate("0kbit")).isInstanceOf(LabException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> FaultRules.rate("100tbit")).isInstanceOf(LabException.class).hasMessageContaining("out of range");
    }

    @Test
    void theTbfHoldsATicksWorthOfBytesAtLeastEightKiB() {
        assertThat(FaultRules.tbf("eth0", FaultRules.rate("2mbit"))).isEqualTo("qdisc replace dev eth0 root tbf rate 2mbit burst 8192 latency 100ms");
        assertThat(FaultRules.tbf("eth0", FaultRules.rate("10gbit"))).isEqualTo("qdisc replace dev eth0 root tbf rate 10gbit burst 5000000 latency 100ms");
        assertThat(FaultRules.limited("qdisc tbf 8001: root refcnt 3 rate 2Mbit burst 16Kb lat 100ms \n")).isTrue();
        assertThat(FaultRules.limited("qdisc noqueue 0: root refcnt 2 \n")).isFalse();
    }

    @Test
    void rulesNameAnAddressOnlyWhole() {
        assertThat(FaultRules.names("-A KUBE-SEP-X -s 10.0.1.2/32 -j KUBE-MARK-MASQ", "10.0.1.2")).isTrue();
        assertThat(FaultRules.names("--to-destination 10.0.1.2:8080", "10.0.1.2")).isTrue();
        assertThat(FaultRules.names("-s 10.0.1.23/32", "10.0.1.2")).isFalse();
        assertThat(FaultRules.names("-s 110.0.1.2/32", "10.0.1.2")).isFalse();
    }
}
