package io.kubenetlab.proxy;

import static io.kubenetlab.proxy.Fixtures.ready;
import static io.kubenetlab.proxy.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names upstream's tests spell out, and upstream's truncation of over-long ones. */
class NftablesNamesTest {
    @Test
    void namesAsUpstreamsTestsSpellThem() {
        ServicePort sp = svc("ns5", "svc5", "p80", "172.30.0.45", 80).build();
        Endpoint ep = ready("10.180.0.3:80", null);
        assertThat(NftablesNames.service(sp)).isEqualTo("service-HVFWP5L3-ns5/svc5/tcp/p80");
        assertThat(NftablesNames.external(sp)).isEqualTo("external-HVFWP5L3-ns5/svc5/tcp/p80");
        assertThat(NftablesNames.firewall(sp)).isEqualTo("firewall-HVFWP5L3-ns5/svc5/tcp/p80");
        assertThat(NftablesNames.local(sp)).isEqualTo("local-HVFWP5L3-ns5/svc5/tcp/p80");
        assertThat(NftablesNames.endpoint(sp, ep)).isEqualTo("endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80");
        assertThat(NftablesNames.affinity(sp, ep)).isEqualTo("affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80");
        assertThat(NftablesNames.service(svc("ns2", "svc2", "p8080", "172.30.0.42", 8080).build())).isEqualTo("service-MHHHYRWA-ns2/svc2/tcp/p8080");
    }

    @Test
    void anUnnamedPortLeavesATrailingSlash() {
        assertThat(NftablesNames.service(svc("ns1", "svc1", "", "172.30.1.1", 80).build())).isEqualTo("service-6KJ5P52A-ns1/svc1/tcp/");
    }

    @Test
    void namesLongerThan240AreTruncatedWithDots() {
        String longName = "n".repeat(300);
        String base = NftablesNames.hashAndTruncate(longName);
        assertThat(base).hasSize(240).endsWith("...").startsWith(ChainNames.hash(longName).substring(0, 8) + "-nnn");
        assertThat(NftablesNames.hashAndTruncate("a".repeat(231))).hasSize(240).doesNotEndWith("...");
    }

    @Test
    void perServiceChainsAreTheOnesWithASlash() {
        assertThat(NftablesNames.perService("service-HVFWP5L3-ns5/svc5/tcp/p80")).isTrue();
        assertThat(NftablesNames.perService("services")).isFalse();
        assertThat(NftablesNames.perService("mark-for-masquerade")).isFalse();
    }
}
