package io.kubenetlab.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a real kubenetlab lab: deployed from {@link #topology()} before the
 * class's tests (or before each test, {@link Lifecycle#PER_METHOD}), destroyed after them even when
 * a test or a callback fails, and handed to {@link LabInstance} fields and parameters. Each lab gets
 * a unique name, so test classes may run in parallel. Labs need root: the tests fail (never skip)
 * when not run as root or when the machine lacks a tool the lab needs.
 *
 * <pre>{@code
 * @KubenetLab(topology = "topologies/service-network.yaml")
 * class CheckoutTest {
 *     @LabInstance static Lab lab;
 *     @Test void answers() { assertThat(lab.requests().from("service-test-client1").to("service-test", 80).times(30).run().failed()).isZero(); }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KubenetLabExtension.class)
public @interface KubenetLab {
    /**
     * The lab file, relative to the test's working directory (Maven's: the project's base directory).
     * Give this or {@link #builder()}.
     *
     * @return the lab file's path
     */
    String topology() default "";

    /**
     * The name of a static method of the test class that returns the lab as a
     * {@link io.kubenetlab.LabBuilder} ({@code static LabBuilder lab() { return KubenetLab.builder()...; }}).
     * Give this or {@link #topology()}.
     *
     * @return the method's name
     */
    String builder() default "";

    /**
     * Where the lab's machines and pods run.
     *
     * @return the runtime; the lab file's choice unless set
     */
    Runtime runtime() default Runtime.LAB_FILE;

    /**
     * The network plugin ({@code routed}, {@code host-gw}, {@code vxlan}, {@code bgp} ...).
     *
     * @return the plugin; empty: the lab file's choice
     */
    String cni() default "";

    /**
     * kube-proxy's mode ({@code iptables}, {@code nftables}).
     *
     * @return the mode; empty: the lab file's choice
     */
    String proxyMode() default "";

    /**
     * One lab for the whole class, or a fresh lab for every test method.
     *
     * @return the lifecycle; one lab per class unless set
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /**
     * The start of the lab's name (a DNS label). A random suffix always follows, so two runs or
     * classes never share a lab.
     *
     * @return the prefix; empty: derived from the test class's name
     */
    String namePrefix() default "";

    /** The sandbox runtime a lab's machines and pods use. */
    enum Runtime {
        /** The lab file's {@code runtime} (netns unless it says otherwise). */
        LAB_FILE(""),
        /** Named network namespaces with processes: the default, no container engine needed. */
        NETNS("netns"),
        /** Docker containers in the lab's namespaces (needs the local engine and the lab's images). */
        DOCKER("docker");

        private final String id;

        Runtime(String id) {
            this.id = id;
        }

        /**
         * The runtime's name in lab files and on the command line.
         *
         * @return the name; empty for {@link #LAB_FILE}
         */
        public String id() {
            return id;
        }
    }

    /** How long a lab lives. */
    enum Lifecycle {
        /** One lab for all tests of the class: deployed before the first, destroyed after the last. */
        PER_CLASS,
        /** A new lab for every test method, destroyed right after it. */
        PER_METHOD
    }
}
