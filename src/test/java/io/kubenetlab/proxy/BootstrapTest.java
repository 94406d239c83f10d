package io.kubenetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void payloadDeclaresKubeProxysChainsAndInsertsTheJumpsInKubeProxysOrder() {
        assertEquals("""
                *filter
                :KUBE-EXTERNAL-SERVICES - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-SERVICES - [0:0]
                :KUBE-FORWARD - [0:0]
                :KUBE-PROXY-FIREWALL - [0:0]
                :KUBE-FIREWALL - [0:0]
                -I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
                -I INPUT 1 -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
                -I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
                -I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
                -I INPUT 1 -j KUBE-FIREWALL
                -I OUTPUT 1 -j KUBE-FIREWALL
                COMMIT
                *nat
                :KUBE-SERVICES - [0:0]
                :KUBE-POSTROUTING - [0:0]
                -I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
                COMMIT
                """, KubeProxyRules.bootstrap());
    }

    @Test
    void fourteenJumpsAsInTheSpec() {
        assertThat(Bootstrap.JUMPS).hasSize(14);
        assertThat(KubeProxyRules.bootstrap().lines().filter(l -> l.startsWith("-I "))).hasSize(14);
    }

    /**
     * Applies the payload the way iptables-restore does on a fresh node ("-I CHAIN 1" puts the rule first)
     * and prints the built-in chains as iptables-save would list them (spec section 4.1).
     */
    @Test
    void appliedToAFreshNodeItGivesTheOrderIptablesSaveShows() {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        for (String chain : List.of("filter INPUT", "filter FORWARD", "filter OUTPUT", "nat PREROUTING", "nat OUTPUT", "nat POSTROUTING")) {
            chains.put(chain, new ArrayList<>());
        }
        String table = null;
        for (String line : KubeProxyRules.bootstrap().lines().toList()) {
            if (line.startsWith("*")) table = line.substring(1);
            if (!line.startsWith("-I ")) continue;
            String[] words = line.split(" ", 4);
            assertThat(words[2]).isEqualTo("1");
            chains.get(table + " " + words[1]).add(0, "-A " + words[1] + " " + words[3]);
        }
        List<String> saved = new ArrayList<>();
        chains.forEach((chain, rules) -> {
            if (chain.equals("nat PREROUTING")) saved.add("*nat");
            saved.addAll(rules);
        });
        assertEquals("""
                -A INPUT -j KUBE-FIREWALL
                -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
                -A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
                -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
                -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
                -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
                -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
                -A OUTPUT -j KUBE-FIREWALL
                -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
                -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                *nat
                -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
                """, String.join("\n", saved) + "\n");
    }
}
