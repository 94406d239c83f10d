package io.kubenetlab.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.lb.LoadBalancerRules.Backend;
import io.kubenetlab.lb.LoadBalancerRules.Listener;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerRulesTest {

    private static final String HEADER = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :KUBENETLAB-LB - [0:0]
            -A PREROUTING -m comment --comment "kubenetlab load balancer listeners" -j KUBENETLAB-LB
            -A OUTPUT -m comment --comment "kubenetlab load balancer listeners" -j KUBENETLAB-LB
            -A POSTROUTING -m conntrack --ctstate DNAT -m comment --comment "replies come back through the load balancer" -j MASQUERADE
            """;

    private static Ipv4 ip(String s) {
        return Ipv4.parse(s);
    }

    private static Backend node(String ip, int nodePort) {
        return new Backend(ip(ip), nodePort);
    }

    @Test
    void articleListenerWithTwoNodes() {
        String text = LoadBalancerRules.render(List.of(new Listener("default/service-test-lb", ip("203.0.113.100"), 80, "TCP",
                List.of(node("10.100.0.2", 30081), node("10.100.0.3", 30081)))));
        assertThat(text).isEqualTo(HEADER
                + "-A KUBENETLAB-LB -d 203.0.113.100/32 -p tcp -m tcp --dport 80 -m comment --comment \"default/service-test-lb -> 10.100.0.2:30081\""
                + " -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.100.0.2:30081\n"
                + "-A KUBENETLAB-LB -d 203.0.113.100/32 -p tcp -m tcp --dport 80 -m comment --comment \"default/service-test-lb -> 10.100.0.3:30081\""
                + " -j DNAT --to-destination 10.100.0.3:30081\n"
                + "COMMIT\n");
    }

    @Test
    void threeBackendsSpreadEvenly() {
        String text = LoadBalancerRules.render(List.of(new Listener("default/web", ip("203.0.113.100"), 443, "TCP",
                List.of(node("10.100.0.2", 30443), node("10.100.0.3", 30443), node("10.100.0.4", 30443)))));
        List<String> rules = text.lines().filter(l -> l.startsWith("-A KUBENETLAB-LB")).toList();
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0)).contains("-m statistic --mode random --probability 0.3333333333 -j DNAT --to-destination 10.100.0.2:30443");
        assertThat(rules.get(1)).contains("-m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.100.0.3:30443");
        assertThat(rules.get(2)).doesNotContain("statistic").endsWith("-j DNAT --to-destination 10.100.0.4:30443");
    }

    @Test
    void oneBackendHasNoStatistic() {
        String text = LoadBalancerRules.render(List.of(new Listener("default/web", ip("203.0.113.100"), 80, "TCP",
                List.of(node("10.100.0.2", 30080)))));
        assertThat(text).isEqualTo(HEADER
                + "-A KUBENETLAB-LB -d 203.0.113.100/32 -p tcp -m tcp --dport 80 -m comment --comment \"default/web -> 10.100.0.2:30080\""
                + " -j DNAT --to-destination 10.100.0.2:30080\nCOMMIT\n");
    }

    @Test
    void noBackendsNoDnatRule() {
        String text = LoadBalancerRules.render(List.of(new Listener("default/web", ip("203.0.113.100"), 80, "TCP", List.of())));
        assertThat(text).isEqualTo(HEADER + "COMMIT\n");
        assertThat(text).doesNotContain("DNAT --to-destination");
    }

    @Test
    void noListenersIsJustTheSkeleton() {
        assertThat(LoadBalancerRules.render(List.of())).isEqualTo(HEADER + "COMMIT\n");
    }

    @Test
    void udpAndSctpUseTheirMatch() {
        String text = LoadBalancerRules.render(List.of(
                new Listener("default/dns:dns", ip("203.0.113.100"), 53, "UDP", List.of(node("10.100.0.2", 30053))),
                new Listener("default/s:s", ip("203.0.113.101"), 9999, "SCTP", List.of(node("10.100.0.2", 31999)))));
        assertThat(text).contains("-d 203.0.113.100/32 -p udp -m udp --dport 53 -m comment --comment \"default/dns:dns -> 10.100.0.2:30053\"");
        assertThat(text).contains("-d 203.0.113.101/32 -p sctp -m sctp --dport 9999 ");
    }

    @Test
    void listenersAreSortedByIpThenPortThenProtocol() {
        List<Listener> listeners = List.of(
                new Listener("c", ip("203.0.113.101"), 80, "TCP", List.of(node("10.100.0.2", 30003))),
                new Listener("b-udp", ip("203.0.113.100"), 443, "UDP", List.of(node("10.100.0.2", 30005))),
                new Listener("b", ip("203.0.113.100"), 443, "TCP", List.of(node("10.100.0.2", 30002))),
                new Listener("a", ip("203.0.113.100"), 80, "TCP", List.of(node("10.100.0.2", 30001))),
                new Listener("d", ip("203.0.113.99"), 8080, "TCP", List.of(node("10.100.0.2", 30004))),
                new Listener("e", ip("203.0.113.200"), 1, "TCP", List.of(node("10.100.0.2", 30006))));
        String text = LoadBalancerRules.render(listeners);
        List<String> comments = text.lines().filter(l -> l.startsWith("-A KUBENETLAB-LB"))
                .map(l -> l.replaceAll(".*--comment \"([^ ]+) -> .*", "$1")).toList();
        assertThat(comments).containsExactly("d", "a", "b", "b-udp", "c", "e");
        List<Listener> reversed = new java.util.ArrayList<>(listeners);
        java.util.Collections.reverse(reversed);
        assertThat(LoadBalancerRules.render(reversed)).isEqualTo(text);
    }

    @Test
    void backendsKeepTheirGivenOrder() {
        String text = LoadBalancerRules.render(List.of(new Listener("s", ip("203.0.113.100"), 80, "TCP",
                List.of(node("10.100.0.3", 30080), node("10.100.0.2", 30080)))));
        List<String> rules = text.lines().filter(l -> l.startsWith("-A KUBENETLAB-LB")).toList();
        assertThat(rules.get(0)).endsWith("10.100.0.3:30080");
        assertThat(rules.get(1)).endsWith("10.100.0.2:30080");
    }

    @Test
    void probabilities() {
        assertThat(LoadBalancerRules.probability(1)).isEqualTo("1.0000000000");
        assertThat(LoadBalancerRules.probability(2)).isEqualTo("0.5000000000");
        assertThat(LoadBalancerRules.probability(3)).isEqualTo("0.3333333333");
        assertThat(LoadBalancerRules.probability(4)).isEqualTo("0.2500000000");
        assertThat(LoadBalancerRules.probability(6)).isEqualTo("0.1666666667");
        assertThat(LoadBalancerRules.probability(7)).isEqualTo("0.1428571429");
        assertThat(LoadBalancerRules.probability(9)).isEqualTo("0.1111111111");
        assertThat(LoadBalancerRules.probability(11)).isEqualTo("0.0909090909");
    }

    @Test
    void textEndsWithCommitAndNewline() {
        String text = LoadBalancerRules.render(List.of(new Listener("s", ip("203.0.113.100"), 80, "TCP", List.of(node("10.100.0.2", 1)))));
        assertThat(text).startsWith("*nat\n").endsWith("\nCOMMIT\n");
        assertThat(text.lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }
}
