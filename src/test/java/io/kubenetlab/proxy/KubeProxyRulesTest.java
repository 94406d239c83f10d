package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.NODE;
import static io.kubenetlab.proxy.Fixtures.endpoint;
import static io.kubenetlab.proxy.Fixtures.ip;
import static io.kubenetlab.proxy.Fixtures.manyEndpoints;
import static io.kubenetlab.proxy.Fixtures.notReady;
import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.servingTerminating;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubenetlab.net.Cidr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests: each expected payload was written by hand from docs/kube-proxy-iptables.md (chain hashes
 * computed independently with sha256sum + base32). Most tests give only the service-specific lines and let
 * {@link #payload} wrap them in the fixed skeleton, which {@link #emptyClusterIsTheSkeleton} and
 * {@link #articleServiceFullDump} spell out in full.
 */
class KubeProxyRulesTest {

    private static String render(NodeSettings node, ServiceEndpoints... services) {
        return KubeProxyRules.render(List.of(services), node);
    }

    private static String render(ServiceEndpoints... services) {
        return render(NODE, services);
    }

    /** The whole payload for {@link Fixtures#NODE} around one scenario's filter rules, nat chains and nat rules. */
    private static String payload(String filterRules, String natChains, String natRules) {
        return """
                *filter
                :KUBE-SERVICES - [0:0]
                :KUBE-EXTERNAL-SERVICES - [0:0]
                :KUBE-FORWARD - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-PROXY-FIREWALL - [0:0]
                :KUBE-FIREWALL - [0:0]
                -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
                """ + filterRules + """
                -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                COMMIT
                *nat
                :KUBE-SERVICES - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-POSTROUTING - [0:0]
                :KUBE-MARK-MASQ - [0:0]
                """ + natChains + """
                -A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN
                -A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000
                -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
                -A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000
                """ + natRules + """
                -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
                COMMIT
                """;
    }

    @Test
    void emptyClusterIsTheSkeleton() {
        assertEquals("""
                *filter
                :KUBE-SERVICES - [0:0]
                :KUBE-EXTERNAL-SERVICES - [0:0]
                :KUBE-FORWARD - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-PROXY-FIREWALL - [0:0]
                :KUBE-FIREWALL - [0:0]
                -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
                -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                COMMIT
                *nat
                :KUBE-SERVICES - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-POSTROUTING - [0:0]
                :KUBE-MARK-MASQ - [0:0]
                -A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN
                -A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000
                -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
                -A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000
                -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
                COMMIT
                """, render());
        assertEquals(payload("", "", ""), render());
    }

    /** The article: service-test (unnamed port 80 -> 8080) over the two http servers, seen from node1. */
    @Test
    void articleServiceFullDump() {
        NodeSettings node1 = NodeSettings.of("node1", ip("10.100.0.2"), Cidr.parse("10.0.0.0/14"));
        ServiceEndpoints serviceTest = svc("default", "service-test", "", "10.3.241.152", 80)
                .with(ready("10.0.2.2:8080", "node2"), ready("10.0.1.2:8080", "node1"));
        assertEquals("""
                *filter
                :KUBE-SERVICES - [0:0]
                :KUBE-EXTERNAL-SERVICES - [0:0]
                :KUBE-FORWARD - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-PROXY-FIREWALL - [0:0]
                :KUBE-FIREWALL - [0:0]
                -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
                -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                COMMIT
                *nat
                :KUBE-SERVICES - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-POSTROUTING - [0:0]
                :KUBE-MARK-MASQ - [0:0]
                :KUBE-SVC-GBTMB5ZTD56ECL5F - [0:0]
                :KUBE-SEP-SWDHQQVZNE4DIAR4 - [0:0]
                :KUBE-SEP-CCUNI5TAEJBRFII7 - [0:0]
                -A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN
                -A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000
                -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
                -A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000
                -A KUBE-SERVICES -m comment --comment "default/service-test cluster IP" -m tcp -p tcp -d 10.3.241.152 --dport 80 -j KUBE-SVC-GBTMB5ZTD56ECL5F
                -A KUBE-SVC-GBTMB5ZTD56ECL5F -m comment --comment "default/service-test cluster IP" -m tcp -p tcp -d 10.3.241.152 --dport 80 ! -s 10.0.0.0/14 -j KUBE-MARK-MASQ
                -A KUBE-SVC-GBTMB5ZTD56ECL5F -m comment --comment "default/service-test -> 10.0.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SWDHQQVZNE4DIAR4
                -A KUBE-SVC-GBTMB5ZTD56ECL5F -m comment --comment "default/service-test -> 10.0.2.2:8080" -j KUBE-SEP-CCUNI5TAEJBRFII7
                -A KUBE-SEP-SWDHQQVZNE4DIAR4 -m comment --comment default/service-test -s 10.0.1.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SWDHQQVZNE4DIAR4 -m comment --comment default/service-test -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:8080
                -A KUBE-SEP-CCUNI5TAEJBRFII7 -m comment --comment default/service-test -s 10.0.2.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-CCUNI5TAEJBRFII7 -m comment --comment default/service-test -m tcp -p tcp -j DNAT --to-destination 10.0.2.2:8080
                -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
                COMMIT
                """, render(node1, serviceTest));
    }

    @Test
    void clusterIpWithTwoEndpointsSplitsHalfAndHalf() {
        assertEquals(payload("", """
                :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
                :KUBE-SEP-LXVODXWDISEETFEF - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j KUBE-SEP-LXVODXWDISEETFEF
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
                """), render(svc("ns1", "svc1", "p80", "172.30.0.41", 80)
                .with(ready("10.180.0.2:80", "node2"), ready("10.180.0.1:80", "node1"))));
    }

    /** 1/3, then 1/2 of the rest, then the last one; "10.180.0.10:80" sorts before "10.180.0.1:80". */
    @Test
    void threeEndpointsInStringOrder() {
        assertEquals(payload("", """
                :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-SEP-A6IB6ZRNSXM7OKSA - [0:0]
                :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
                :KUBE-SEP-LXVODXWDISEETFEF - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.10:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A6IB6ZRNSXM7OKSA
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j KUBE-SEP-LXVODXWDISEETFEF
                -A KUBE-SEP-A6IB6ZRNSXM7OKSA -m comment --comment ns1/svc1:p80 -s 10.180.0.10 -j KUBE-MARK-MASQ
                -A KUBE-SEP-A6IB6ZRNSXM7OKSA -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.10:80
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
                """), render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).with(
                ready("10.180.0.1:80", null), ready("10.180.0.10:80", null), ready("10.180.0.2:80", null))));
    }

    @Test
    void noEndpointsRejectsTheClusterIpInFilter() {
        assertEquals(payload("""
                -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
                """, "", ""), render(svc("ns6", "svc6", "p80", "172.30.0.46", 80).with()));
    }

    /** An unnamed port: the SPN is just "ns2/svc2", quoted where it is part of a longer comment only. */
    @Test
    void nodePortWithUnnamedPort() {
        assertEquals(payload("", """
                :KUBE-EXT-G77FM4R64KTEGMA5 - [0:0]
                :KUBE-SVC-G77FM4R64KTEGMA5 - [0:0]
                :KUBE-SEP-BUPESKZUUIUSBCNB - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns2/svc2 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-G77FM4R64KTEGMA5
                -A KUBE-NODEPORTS -m comment --comment ns2/svc2 -m tcp -p tcp --dport 30080 -j KUBE-EXT-G77FM4R64KTEGMA5
                -A KUBE-SVC-G77FM4R64KTEGMA5 -m comment --comment "ns2/svc2 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-G77FM4R64KTEGMA5 -m comment --comment "masquerade traffic for ns2/svc2 external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-G77FM4R64KTEGMA5 -j KUBE-SVC-G77FM4R64KTEGMA5
                -A KUBE-SVC-G77FM4R64KTEGMA5 -m comment --comment "ns2/svc2 -> 10.180.1.5:8080" -j KUBE-SEP-BUPESKZUUIUSBCNB
                -A KUBE-SEP-BUPESKZUUIUSBCNB -m comment --comment ns2/svc2 -s 10.180.1.5 -j KUBE-MARK-MASQ
                -A KUBE-SEP-BUPESKZUUIUSBCNB -m comment --comment ns2/svc2 -m tcp -p tcp -j DNAT --to-destination 10.180.1.5:8080
                """), render(svc("ns2", "svc2", "", "172.30.0.42", 80).nodePort(30080)
                .with(ready("10.180.1.5:8080", "node2"))));
    }

    /** A not-ready endpoint is no endpoint: cluster IP, external IP and node port are all REJECTed. */
    @Test
    void nodePortWithoutEndpointsRejectsExternalDestinations() {
        assertEquals(payload("""
                -A KUBE-SERVICES -m comment --comment "ns4/svc4:dns has no endpoints" -m udp -p udp -d 172.30.0.44 --dport 53 -j REJECT
                -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns4/svc4:dns has no endpoints" -m udp -p udp -d 192.168.99.44 --dport 53 -j REJECT
                -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns4/svc4:dns has no endpoints" -m addrtype --dst-type LOCAL -m udp -p udp --dport 30053 -j REJECT
                """, "", ""), render(svc("ns4", "svc4", "dns", "172.30.0.44", 53).protocol("UDP").nodePort(30053)
                .externalIPs("192.168.99.44").with(notReady("10.180.0.4:53", "node1"))));
    }

    @Test
    void loadBalancerIpGoesToTheExtChain() {
        assertEquals(payload("", """
                :KUBE-EXT-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVC-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SEP-XWJ4ANIWP22Z67A5 - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-NODEPORTS -m comment --comment ns3/svc3:https -m tcp -p tcp --dport 30443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "masquerade traffic for ns3/svc3:https external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.2.7:8443" -j KUBE-SEP-XWJ4ANIWP22Z67A5
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -s 10.180.2.7 -j KUBE-MARK-MASQ
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.2.7:8443
                """), render(svc("ns3", "svc3", "https", "172.30.0.43", 443).nodePort(30443).loadBalancerIPs("1.2.3.4")
                .with(ready("10.180.2.7:8443", "node2"))));
    }

    /**
     * Source ranges: LB traffic goes through KUBE-FW, which passes allowed sources on to KUBE-EXT; the rest
     * keeps the LB IP as destination and meets the DROP in filter KUBE-PROXY-FIREWALL. The node IP
     * 192.168.0.2 is inside 192.168.0.0/24, so traffic from the VIPs themselves is allowed too. The node
     * port skips the firewall.
     */
    @Test
    void loadBalancerSourceRangesIncludingTheNodeIp() {
        assertEquals(payload("""
                -A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
                -A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
                """, """
                :KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-FW-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O
                -A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVC-XPGD46QRK7WJZT7O
                -A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 192.168.0.0/24 -j KUBE-EXT-XPGD46QRK7WJZT7O
                -A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-XPGD46QRK7WJZT7O
                -A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 1.2.3.4 -j KUBE-EXT-XPGD46QRK7WJZT7O
                -A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 5.6.7.8 -j KUBE-EXT-XPGD46QRK7WJZT7O
                -A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
                """), render(svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001)
                .loadBalancerIPs("1.2.3.4", "5.6.7.8").sourceRanges("192.168.0.0/24", " 203.0.113.0/25")
                .with(ready("10.180.0.1:80", null))));
    }

    @Test
    void loadBalancerSourceRangesWithoutTheNodeIpHaveNoVipRules() {
        assertEquals(payload("""
                -A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
                """, """
                :KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
                :KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
                :KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
                :KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
                -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
                -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
                -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
                -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
                -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
                -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
                -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
                -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
                """), render(svc("ns5", "svc5", "p80", "172.30.0.45", 80).nodePort(3002).loadBalancerIPs("5.6.7.8")
                .sourceRanges("203.0.113.0/25").with(ready("10.180.0.3:80", null))));
    }

    /** External IPs keep the Service's order (not sorted) and go to KUBE-EXT like node ports. */
    @Test
    void externalIpsGoToTheExtChainInSpecOrder() {
        assertEquals(payload("", """
                :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
                :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
                :KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
                :KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
                -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.34 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
                -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
                -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
                -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
                -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
                -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
                -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
                """), render(svc("ns4", "svc4", "p80", "172.30.0.44", 80).externalIPs("192.168.99.34", "192.168.99.33")
                .with(ready("10.180.0.5:80", "node1"), ready("10.180.0.4:80", "node2"))));
    }

    private static final Fixtures.Svc ETP_LOCAL_LB = svc("ns3", "svc3", "https", "172.30.0.43", 443).nodePort(30443)
            .loadBalancerIPs("1.2.3.4").externalPolicyLocal().healthCheckNodePort(30000);

    /**
     * ETP=Local with an endpoint on this node: external traffic goes to KUBE-SVL (local endpoints, no
     * masquerade); pods and the node itself short-circuit to KUBE-SVC. The health check port is accepted.
     */
    @Test
    void externalPolicyLocalWithALocalEndpoint() {
        assertEquals(payload("""
                -A KUBE-NODEPORTS -m comment --comment "ns3/svc3:https health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
                """, """
                :KUBE-EXT-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVC-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVL-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SEP-LDBK6FTK7OF43RTR - [0:0]
                :KUBE-SEP-XWJ4ANIWP22Z67A5 - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-NODEPORTS -m comment --comment ns3/svc3:https -m tcp -p tcp --dport 30443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "pod traffic for ns3/svc3:https external destinations" -s 10.0.0.0/8 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "masquerade LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "route LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -j KUBE-SVL-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.0.4:8443" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LDBK6FTK7OF43RTR
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.2.7:8443" -j KUBE-SEP-XWJ4ANIWP22Z67A5
                -A KUBE-SVL-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.0.4:8443" -j KUBE-SEP-LDBK6FTK7OF43RTR
                -A KUBE-SEP-LDBK6FTK7OF43RTR -m comment --comment ns3/svc3:https -s 10.180.0.4 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LDBK6FTK7OF43RTR -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:8443
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -s 10.180.2.7 -j KUBE-MARK-MASQ
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.2.7:8443
                """), render(ETP_LOCAL_LB.with(ready("10.180.2.7:8443", "node2"), ready("10.180.0.4:8443", "node1"))));
    }

    /** No endpoint on this node: no SVL, no final jump in EXT, and filter DROPs what EXT does not take. */
    @Test
    void externalPolicyLocalWithoutALocalEndpointDrops() {
        assertEquals(payload("""
                -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns3/svc3:https has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 443 -j DROP
                -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns3/svc3:https has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30443 -j DROP
                -A KUBE-NODEPORTS -m comment --comment "ns3/svc3:https health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
                """, """
                :KUBE-EXT-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVC-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SEP-XWJ4ANIWP22Z67A5 - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-NODEPORTS -m comment --comment ns3/svc3:https -m tcp -p tcp --dport 30443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "pod traffic for ns3/svc3:https external destinations" -s 10.0.0.0/8 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "masquerade LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "route LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.2.7:8443" -j KUBE-SEP-XWJ4ANIWP22Z67A5
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -s 10.180.2.7 -j KUBE-MARK-MASQ
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.2.7:8443
                """), render(ETP_LOCAL_LB.with(ready("10.180.2.7:8443", "node2"))));
    }

    /** The local endpoint only terminates: SVL uses it, SVC the ready remote one, both get SEP chains. */
    @Test
    void externalPolicyLocalFallsBackToALocalTerminatingEndpoint() {
        assertEquals(payload("", """
                :KUBE-EXT-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVC-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVL-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SEP-LDBK6FTK7OF43RTR - [0:0]
                :KUBE-SEP-XWJ4ANIWP22Z67A5 - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-NODEPORTS -m comment --comment ns3/svc3:https -m tcp -p tcp --dport 30443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "pod traffic for ns3/svc3:https external destinations" -s 10.0.0.0/8 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "masquerade LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "route LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -j KUBE-SVL-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.2.7:8443" -j KUBE-SEP-XWJ4ANIWP22Z67A5
                -A KUBE-SVL-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.0.4:8443" -j KUBE-SEP-LDBK6FTK7OF43RTR
                -A KUBE-SEP-LDBK6FTK7OF43RTR -m comment --comment ns3/svc3:https -s 10.180.0.4 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LDBK6FTK7OF43RTR -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:8443
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -s 10.180.2.7 -j KUBE-MARK-MASQ
                -A KUBE-SEP-XWJ4ANIWP22Z67A5 -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.2.7:8443
                """), render(svc("ns3", "svc3", "https", "172.30.0.43", 443).nodePort(30443).externalPolicyLocal()
                .with(ready("10.180.2.7:8443", "node2"), servingTerminating("10.180.0.4:8443", "node1"))));
    }

    /** ITP=Local: the cluster IP goes to KUBE-SVL (and its masquerade rule lives there); no KUBE-SVC. */
    @Test
    void internalPolicyLocalWithALocalEndpoint() {
        assertEquals(payload("", """
                :KUBE-SVL-NUKIZ6OKUXPJNT4C - [0:0]
                :KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVL-NUKIZ6OKUXPJNT4C
                -A KUBE-SVL-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVL-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
                -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
                -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
                """), render(svc("ns5", "svc5", "p80", "172.30.0.45", 80).internalPolicyLocal()
                .with(ready("10.180.1.3:80", "node2"), ready("10.180.0.3:80", "node1"))));
    }

    @Test
    void internalPolicyLocalWithoutALocalEndpointDrops() {
        assertEquals(payload("""
                -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j DROP
                """, "", ""), render(svc("ns5", "svc5", "p80", "172.30.0.45", 80).internalPolicyLocal()
                .with(ready("10.180.1.3:80", "node2"))));
    }

    /** ClientIP: first the "recent" checks for every endpoint, then the random split; SEPs record the client. */
    @Test
    void clientIpAffinity() {
        assertEquals(payload("", """
                :KUBE-SVC-NDY5GL2HU4YWCI7Q - [0:0]
                :KUBE-SEP-XJUAV2ZTIYE6D4FR - [0:0]
                :KUBE-SEP-UY2D3WH3C3I76IZ5 - [0:0]
                :KUBE-SEP-TRE4BQLTZ33WEZUZ - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 cluster IP" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j KUBE-SVC-NDY5GL2HU4YWCI7Q
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 cluster IP" -m tcp -p tcp -d 172.30.0.46 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 -> 10.180.0.10:80" -m recent --name KUBE-SEP-XJUAV2ZTIYE6D4FR --rcheck --seconds 10800 --reap -j KUBE-SEP-XJUAV2ZTIYE6D4FR
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 -> 10.180.0.1:80" -m recent --name KUBE-SEP-UY2D3WH3C3I76IZ5 --rcheck --seconds 10800 --reap -j KUBE-SEP-UY2D3WH3C3I76IZ5
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 -> 10.180.0.2:80" -m recent --name KUBE-SEP-TRE4BQLTZ33WEZUZ --rcheck --seconds 10800 --reap -j KUBE-SEP-TRE4BQLTZ33WEZUZ
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 -> 10.180.0.10:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-XJUAV2ZTIYE6D4FR
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UY2D3WH3C3I76IZ5
                -A KUBE-SVC-NDY5GL2HU4YWCI7Q -m comment --comment "ns6/svc6:p80 -> 10.180.0.2:80" -j KUBE-SEP-TRE4BQLTZ33WEZUZ
                -A KUBE-SEP-XJUAV2ZTIYE6D4FR -m comment --comment ns6/svc6:p80 -s 10.180.0.10 -j KUBE-MARK-MASQ
                -A KUBE-SEP-XJUAV2ZTIYE6D4FR -m comment --comment ns6/svc6:p80 -m recent --name KUBE-SEP-XJUAV2ZTIYE6D4FR --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.10:80
                -A KUBE-SEP-UY2D3WH3C3I76IZ5 -m comment --comment ns6/svc6:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
                -A KUBE-SEP-UY2D3WH3C3I76IZ5 -m comment --comment ns6/svc6:p80 -m recent --name KUBE-SEP-UY2D3WH3C3I76IZ5 --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
                -A KUBE-SEP-TRE4BQLTZ33WEZUZ -m comment --comment ns6/svc6:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-TRE4BQLTZ33WEZUZ -m comment --comment ns6/svc6:p80 -m recent --name KUBE-SEP-TRE4BQLTZ33WEZUZ --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
                """), render(svc("ns6", "svc6", "p80", "172.30.0.46", 80).sticky(10800).with(
                ready("10.180.0.1:80", null), ready("10.180.0.10:80", null), ready("10.180.0.2:80", null))));
    }

    /** Every port of a Service is a service port of its own: "shop/web:http" then "shop/web:metrics". */
    @Test
    void multiPortService() {
        assertEquals(payload("", """
                :KUBE-SVC-67NZLRHBNDSAWJRO - [0:0]
                :KUBE-SEP-3SHOAZZXKXAESXYF - [0:0]
                :KUBE-SEP-CZEJWCVHTS7MF3TS - [0:0]
                :KUBE-SVC-RHZJZNUXMMSPCUFQ - [0:0]
                :KUBE-SEP-3RZCBXFC2KFT2XJW - [0:0]
                :KUBE-SEP-6RGYUOOJT7MWO7OU - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "shop/web:http cluster IP" -m tcp -p tcp -d 10.3.240.20 --dport 80 -j KUBE-SVC-67NZLRHBNDSAWJRO
                -A KUBE-SVC-67NZLRHBNDSAWJRO -m comment --comment "shop/web:http cluster IP" -m tcp -p tcp -d 10.3.240.20 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-67NZLRHBNDSAWJRO -m comment --comment "shop/web:http -> 10.0.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-3SHOAZZXKXAESXYF
                -A KUBE-SVC-67NZLRHBNDSAWJRO -m comment --comment "shop/web:http -> 10.0.2.5:8080" -j KUBE-SEP-CZEJWCVHTS7MF3TS
                -A KUBE-SEP-3SHOAZZXKXAESXYF -m comment --comment shop/web:http -s 10.0.1.5 -j KUBE-MARK-MASQ
                -A KUBE-SEP-3SHOAZZXKXAESXYF -m comment --comment shop/web:http -m tcp -p tcp -j DNAT --to-destination 10.0.1.5:8080
                -A KUBE-SEP-CZEJWCVHTS7MF3TS -m comment --comment shop/web:http -s 10.0.2.5 -j KUBE-MARK-MASQ
                -A KUBE-SEP-CZEJWCVHTS7MF3TS -m comment --comment shop/web:http -m tcp -p tcp -j DNAT --to-destination 10.0.2.5:8080
                -A KUBE-SERVICES -m comment --comment "shop/web:metrics cluster IP" -m tcp -p tcp -d 10.3.240.20 --dport 9090 -j KUBE-SVC-RHZJZNUXMMSPCUFQ
                -A KUBE-SVC-RHZJZNUXMMSPCUFQ -m comment --comment "shop/web:metrics cluster IP" -m tcp -p tcp -d 10.3.240.20 --dport 9090 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-RHZJZNUXMMSPCUFQ -m comment --comment "shop/web:metrics -> 10.0.1.5:9090" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-3RZCBXFC2KFT2XJW
                -A KUBE-SVC-RHZJZNUXMMSPCUFQ -m comment --comment "shop/web:metrics -> 10.0.2.5:9090" -j KUBE-SEP-6RGYUOOJT7MWO7OU
                -A KUBE-SEP-3RZCBXFC2KFT2XJW -m comment --comment shop/web:metrics -s 10.0.1.5 -j KUBE-MARK-MASQ
                -A KUBE-SEP-3RZCBXFC2KFT2XJW -m comment --comment shop/web:metrics -m tcp -p tcp -j DNAT --to-destination 10.0.1.5:9090
                -A KUBE-SEP-6RGYUOOJT7MWO7OU -m comment --comment shop/web:metrics -s 10.0.2.5 -j KUBE-MARK-MASQ
                -A KUBE-SEP-6RGYUOOJT7MWO7OU -m comment --comment shop/web:metrics -m tcp -p tcp -j DNAT --to-destination 10.0.2.5:9090
                """), render(
                svc("shop", "web", "metrics", "10.3.240.20", 9090)
                        .with(ready("10.0.2.5:9090", "node2"), ready("10.0.1.5:9090", "node1")),
                svc("shop", "web", "http", "10.3.240.20", 80)
                        .with(ready("10.0.2.5:8080", "node2"), ready("10.0.1.5:8080", "node1"))));
    }

    @Test
    void udpService() {
        assertEquals(payload("", """
                :KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
                :KUBE-SEP-SLH2NB2YIGKY7AGT - [0:0]
                :KUBE-SEP-SI2TXMZ2D4BPRAVT - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.3.240.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
                -A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.3.240.10 --dport 53 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.180.0.7:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SLH2NB2YIGKY7AGT
                -A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.180.1.7:53" -j KUBE-SEP-SI2TXMZ2D4BPRAVT
                -A KUBE-SEP-SLH2NB2YIGKY7AGT -m comment --comment kube-system/kube-dns:dns -s 10.180.0.7 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SLH2NB2YIGKY7AGT -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.180.0.7:53
                -A KUBE-SEP-SI2TXMZ2D4BPRAVT -m comment --comment kube-system/kube-dns:dns -s 10.180.1.7 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SI2TXMZ2D4BPRAVT -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.180.1.7:53
                """), render(svc("kube-system", "kube-dns", "dns", "10.3.240.10", 53).protocol("UDP")
                .with(ready("10.180.1.7:53", "node2"), ready("10.180.0.7:53", "node1"))));
    }

    private static final String SVC7_ONE_ENDPOINT_NAT_RULES = """
            -A KUBE-SERVICES -m comment --comment "ns7/svc7:p80 cluster IP" -m tcp -p tcp -d 172.30.0.47 --dport 80 -j KUBE-SVC-KPEMU3PDPRCEMWRI
            -A KUBE-SVC-KPEMU3PDPRCEMWRI -m comment --comment "ns7/svc7:p80 cluster IP" -m tcp -p tcp -d 172.30.0.47 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
            -A KUBE-SVC-KPEMU3PDPRCEMWRI -m comment --comment "ns7/svc7:p80 -> 10.180.0.1:80" -j KUBE-SEP-WKF2XPYBSFUPCTHA
            -A KUBE-SEP-WKF2XPYBSFUPCTHA -m comment --comment ns7/svc7:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
            -A KUBE-SEP-WKF2XPYBSFUPCTHA -m comment --comment ns7/svc7:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
            """;

    /** A starting pod and a terminating one are left out while a ready endpoint exists. */
    @Test
    void notReadyEndpointsAreExcluded() {
        assertEquals(payload("", """
                :KUBE-SVC-KPEMU3PDPRCEMWRI - [0:0]
                :KUBE-SEP-WKF2XPYBSFUPCTHA - [0:0]
                """, SVC7_ONE_ENDPOINT_NAT_RULES), render(svc("ns7", "svc7", "p80", "172.30.0.47", 80).with(
                ready("10.180.0.1:80", "node1"), notReady("10.180.0.2:80", "node1"),
                servingTerminating("10.180.0.3:80", "node2"))));
    }

    /** No ready endpoint: the terminating ones that still serve take the traffic; the others do not. */
    @Test
    void terminatingEndpointsAreTheFallback() {
        assertEquals(payload("", """
                :KUBE-SVC-KPEMU3PDPRCEMWRI - [0:0]
                :KUBE-SEP-XNDD3ORSAGIJTTP6 - [0:0]
                :KUBE-SEP-SBLAKJFBTBD6YQ7D - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns7/svc7:p80 cluster IP" -m tcp -p tcp -d 172.30.0.47 --dport 80 -j KUBE-SVC-KPEMU3PDPRCEMWRI
                -A KUBE-SVC-KPEMU3PDPRCEMWRI -m comment --comment "ns7/svc7:p80 cluster IP" -m tcp -p tcp -d 172.30.0.47 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-KPEMU3PDPRCEMWRI -m comment --comment "ns7/svc7:p80 -> 10.180.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-XNDD3ORSAGIJTTP6
                -A KUBE-SVC-KPEMU3PDPRCEMWRI -m comment --comment "ns7/svc7:p80 -> 10.180.0.3:80" -j KUBE-SEP-SBLAKJFBTBD6YQ7D
                -A KUBE-SEP-XNDD3ORSAGIJTTP6 -m comment --comment ns7/svc7:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-XNDD3ORSAGIJTTP6 -m comment --comment ns7/svc7:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
                -A KUBE-SEP-SBLAKJFBTBD6YQ7D -m comment --comment ns7/svc7:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SBLAKJFBTBD6YQ7D -m comment --comment ns7/svc7:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
                """), render(svc("ns7", "svc7", "p80", "172.30.0.47", 80).with(
                endpoint("10.180.0.1:80", "node1", false, false, true),
                servingTerminating("10.180.0.3:80", "node2"), servingTerminating("10.180.0.2:80", "node1"))));
    }

    @Test
    void masqueradeAllMarksEveryClusterIpPacket() {
        NodeSettings node = new NodeSettings("node1", ip("192.168.0.2"), Cidr.parse("10.0.0.0/8"), true, 14, true, true, null);
        assertEquals(payload("", """
                :KUBE-SVC-KPEMU3PDPRCEMWRI - [0:0]
                :KUBE-SEP-WKF2XPYBSFUPCTHA - [0:0]
                """, SVC7_ONE_ENDPOINT_NAT_RULES.replace(" ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ", " -j KUBE-MARK-MASQ")),
                render(node, svc("ns7", "svc7", "p80", "172.30.0.47", 80).with(ready("10.180.0.1:80", "node1"))));
    }

    /** Without a cluster CIDR kube-proxy cannot tell pod traffic: no "! -s" masquerade and no "pod traffic" rule. */
    @Test
    void withoutClusterCidrThereIsNoLocalDetector() {
        NodeSettings node = NodeSettings.of("node1", ip("192.168.0.2"), null);
        assertEquals(payload("", """
                :KUBE-EXT-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVC-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SVL-LGQFPNSE4LBKZAOC - [0:0]
                :KUBE-SEP-LDBK6FTK7OF43RTR - [0:0]
                """, """
                -A KUBE-SERVICES -m comment --comment "ns3/svc3:https cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 443 -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-NODEPORTS -m comment --comment ns3/svc3:https -m tcp -p tcp --dport 30443 -j KUBE-EXT-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "masquerade LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -m comment --comment "route LOCAL traffic for ns3/svc3:https external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-LGQFPNSE4LBKZAOC
                -A KUBE-EXT-LGQFPNSE4LBKZAOC -j KUBE-SVL-LGQFPNSE4LBKZAOC
                -A KUBE-SVC-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.0.4:8443" -j KUBE-SEP-LDBK6FTK7OF43RTR
                -A KUBE-SVL-LGQFPNSE4LBKZAOC -m comment --comment "ns3/svc3:https -> 10.180.0.4:8443" -j KUBE-SEP-LDBK6FTK7OF43RTR
                -A KUBE-SEP-LDBK6FTK7OF43RTR -m comment --comment ns3/svc3:https -s 10.180.0.4 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LDBK6FTK7OF43RTR -m comment --comment ns3/svc3:https -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:8443
                """), render(node, svc("ns3", "svc3", "https", "172.30.0.43", 443).nodePort(30443).externalPolicyLocal()
                .with(ready("10.180.0.4:8443", "node1"))));
    }

    @Test
    void localhostNodePortsOffDropsKubeFirewallAndExcludesLoopbackFromNodePorts() {
        NodeSettings node = new NodeSettings("node1", ip("192.168.0.2"), Cidr.parse("10.0.0.0/8"), false, 14, false, true, null);
        String expected = payload("", "", "")
                .replace(":KUBE-FIREWALL - [0:0]\n", "")
                .replaceFirst("-A KUBE-FIREWALL [^\n]*\n", "")
                .replace("--dst-type LOCAL -j KUBE-NODEPORTS", "--dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS");
        assertEquals(expected, render(node));
        assertThat(expected).doesNotContain("KUBE-FIREWALL").contains("! -d 127.0.0.0/8 -j KUBE-NODEPORTS\nCOMMIT\n");
    }

    @Test
    void markFollowsTheMasqueradeBitAndRandomFullyIsOptional() {
        NodeSettings node = new NodeSettings("node1", ip("192.168.0.2"), Cidr.parse("10.0.0.0/8"), false, 15, true, false, null);
        String expected = payload("", "", "")
                .replace("0x00004000", "0x00008000")
                .replace("-j MASQUERADE --random-fully\n", "-j MASQUERADE\n");
        assertEquals(expected, render(node));
    }

    @Test
    void servicePortsWithoutClusterIpAreSkipped() {
        assertEquals(payload("", "", ""), render(svc("ns1", "headless", "p80", null, 80)
                .with(ready("10.180.0.1:80", "node1"))));
    }

    @Test
    void aServicePortGivenTwiceIsAnError() {
        ServiceEndpoints once = svc("ns1", "svc1", "p80", "172.30.0.41", 80).with();
        assertThatThrownBy(() -> render(once, svc("ns1", "svc1", "p80", "172.30.0.99", 8080).with()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ns1/svc1:p80/TCP");
    }

    /** Sorted by the SPN string: "ns1/svc10" < "ns1/svc1:p80" because '0' < ':'. */
    @Test
    void servicePortsAreOrderedByTheirNameString() {
        assertEquals(payload("""
                -A KUBE-SERVICES -m comment --comment "ns1/svc10 has no endpoints" -m tcp -p tcp -d 172.30.0.50 --dport 80 -j REJECT
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT
                -A KUBE-SERVICES -m comment --comment "ns2/a:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.60 --dport 80 -j REJECT
                """, "", ""), render(
                svc("ns2", "a", "p80", "172.30.0.60", 80).with(),
                svc("ns1", "svc1", "p80", "172.30.0.41", 80).with(),
                svc("ns1", "svc10", "", "172.30.0.50", 80).with()));
    }

    /** A mix of every kind of service: any order of services and endpoints gives the same bytes. */
    @Test
    void outputDoesNotDependOnInputOrder() {
        List<ServiceEndpoints> services = mixedCluster();
        String expected = KubeProxyRules.render(services, NODE);
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            List<ServiceEndpoints> shuffled = new ArrayList<>();
            for (ServiceEndpoints se : services) {
                List<Endpoint> eps = new ArrayList<>(se.endpoints());
                Collections.shuffle(eps, random);
                shuffled.add(new ServiceEndpoints(se.service(), eps));
            }
            Collections.shuffle(shuffled, random);
            assertEquals(expected, KubeProxyRules.render(shuffled, NODE));
        }
    }

    @Test
    void nodePortsTailRuleIsAlwaysTheLastNatRule() {
        String tail = "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last"
                + " rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\nCOMMIT\n";
        List<ServiceEndpoints> services = mixedCluster();
        for (int n = 0; n <= services.size(); n++) {
            String out = KubeProxyRules.render(services.subList(0, n), NODE);
            assertThat(out).endsWith(tail);
            assertThat(out.indexOf("nodeports; NOTE")).isEqualTo(out.lastIndexOf("nodeports; NOTE"));
        }
    }

    private static List<ServiceEndpoints> mixedCluster() {
        return List.of(
                svc("default", "service-test", "", "10.3.241.152", 80)
                        .with(ready("10.0.2.2:8080", "node2"), ready("10.0.1.2:8080", "node1")),
                svc("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).loadBalancerIPs("1.2.3.4", "5.6.7.8")
                        .sourceRanges("192.168.0.0/24").with(ready("10.180.0.1:80", null), ready("10.180.0.10:80", null)),
                ETP_LOCAL_LB.with(ready("10.180.2.7:8443", "node2"), ready("10.180.0.4:8443", "node1"),
                        servingTerminating("10.180.0.5:8443", "node1")),
                svc("ns4", "svc4", "dns", "172.30.0.44", 53).protocol("UDP").nodePort(30053).externalIPs("192.168.99.44").with(),
                svc("ns5", "svc5", "p80", "172.30.0.45", 80).internalPolicyLocal().with(ready("10.180.1.3:80", "node2")),
                svc("ns6", "svc6", "p80", "172.30.0.46", 80).sticky(10800)
                        .with(ready("10.180.0.1:80", null), ready("10.180.0.10:80", null), ready("10.180.0.2:80", null)),
                svc("shop", "web", "http", "10.3.240.20", 80).with(ready("10.0.1.5:8080", "node1")),
                svc("shop", "web", "metrics", "10.3.240.20", 9090).with(ready("10.0.1.5:9090", "node1")));
    }

    /** Expected values from Python's '%.10f' (correctly rounded like Go's), not from Java. */
    @ParameterizedTest
    @CsvSource({
            "2, 0.5000000000", "3, 0.3333333333", "6, 0.1666666667", "7, 0.1428571429", "1000, 0.0010000000",
            "2048, 0.0004882812", "3000, 0.0003333333", "4096, 0.0002441406", "10240, 0.0000976563",
            "51200, 0.0000195313", "99999, 0.0000100001",
    })
    void probabilityIsFormattedLikeGo(int n, String expected) {
        assertThat(KubeProxyRules.probability(n)).isEqualTo(expected);
    }

    @Test
    void javaFormatWouldRoundTheExactTieAt2048Up() {
        // 1/2048 = 0.00048828125 exactly: Go (and we) round half to even, String.format rounds half up.
        assertThat(String.format("%.10f", 1.0 / 2048)).isEqualTo("0.0004882813");
        assertThat(KubeProxyRules.probability(2048)).isEqualTo("0.0004882812");
    }

    /** 2048 endpoints: the first split is 1/2048, then 1/2047 ... 1/2, then the unconditional jump. */
    @Test
    void probabilitiesOf2048Endpoints() {
        ServicePort sp = svc("ns1", "svc1", "p80", "172.30.0.41", 80).build();
        List<Endpoint> eps = manyEndpoints(2048);
        String out = KubeProxyRules.render(List.of(new ServiceEndpoints(sp, eps)), NODE);
        List<String> lb = Arrays.stream(out.split("\n"))
                .filter(l -> l.startsWith("-A KUBE-SVC-XPGD46QRK7WJZT7O -j") || l.startsWith("-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic"))
                .toList();
        List<Endpoint> sorted = EndpointCategories.sortedUnique(eps);
        assertThat(lb).hasSize(2048);
        assertThat(lb.get(0)).isEqualTo("-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic --mode random --probability 0.0004882812 -j "
                + ChainNames.sep(sp, sorted.get(0)));
        assertThat(lb.get(1)).contains("--probability 0.0004885198 -j " + ChainNames.sep(sp, sorted.get(1)));
        assertThat(lb.get(2046)).contains("--probability 0.5000000000 -j " + ChainNames.sep(sp, sorted.get(2046)));
        assertThat(lb.get(2047)).isEqualTo("-A KUBE-SVC-XPGD46QRK7WJZT7O -j " + ChainNames.sep(sp, sorted.get(2047)));
    }

    /**
     * Above 1000 endpoints (counted over all service ports, ready or not) kube-proxy leaves the comments
     * out of the endpoint rules only: KUBE-SEP rules and the SVC/SVL jumps to them.
     */
    @Test
    void largeClusterModeDropsEndpointCommentsAbove1000Endpoints() {
        ServiceEndpoints svc1 = svc("ns1", "svc1", "p80", "172.30.0.41", 80).sticky(10800)
                .with(ready("10.180.0.1:80", null), ready("10.180.0.2:80", null));
        ServiceEndpoints filler998 = svc("ns9", "filler", "", "172.30.0.99", 80).with(manyEndpoints(998));
        ServiceEndpoints oneMore = svc("ns9", "starting", "", "172.30.0.98", 80).with(notReady("10.182.0.1:80", null));

        String normal = KubeProxyRules.render(List.of(svc1, filler998), NODE);
        assertThat(normal).contains(
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:80\" -m statistic");

        String large = KubeProxyRules.render(List.of(svc1, filler998, oneMore), NODE);
        assertThat(large).contains(
                "-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m recent --name KUBE-SEP-SXIVWICOYRO3J4NJ --rcheck --seconds 10800 --reap -j KUBE-SEP-SXIVWICOYRO3J4NJ\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -j KUBE-SEP-LXVODXWDISEETFEF\n",
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1 -j KUBE-MARK-MASQ\n",
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m recent --name KUBE-SEP-SXIVWICOYRO3J4NJ --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80\n",
                "-A KUBE-SERVICES -m comment --comment \"ns9/starting has no endpoints\"");
        assertThat(large).doesNotContain("--comment ns1/svc1:p80 ", "\"ns1/svc1:p80 -> ");
    }
}
