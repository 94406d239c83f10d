package io.kubenetlab;

import io.kubenetlab.lab.LoadGenerator;
import java.util.Map;

/**
 * A small load generator: real TCP connections ({@code nc}, one HTTP GET each, one after another)
 * from a pod, node or outside host of the lab to a Service, IP or host, counted by the pod that
 * answered ({@code Hello from <pod>}) — and every failure counted by its reason, never dropped.
 *
 * <pre>{@code
 * Requests.Result r = lab.requests().from("client").to("checkout", 80).times(300).run();
 * assertThat(r.failed()).isZero();
 * assertThat(r.byPod()).hasSize(3);
 * }</pre>
 */
public final class Requests {
    private final LoadGenerator generator;

    Requests(LoadGenerator generator) {
        this.generator = generator;
    }

    /**
     * What a run gave.
     *
     * @param sent requests sent
     * @param answered requests a pod answered
     * @param failed requests that got no answer (refused, timed out, closed without a word)
     * @param byPod answers by the pod's name (its hostname)
     * @param failures failures by reason, as nc words it
     */
    public record Result(int sent, int answered, int failed, Map<String, Integer> byPod, Map<String, Integer> failures) {
        /**
         * A result; copies the maps, so it does not change.
         *
         * @param sent requests sent
         * @param answered requests a pod answered
         * @param failed requests that got no answer
         * @param byPod answers by pod
         * @param failures failures by reason
         */
        public Result {
            byPod = Map.copyOf(byPod);
            failures = Map.copyOf(failures);
        }
    }

    /**
     * Where the connections start.
     *
     * @param source a pod, node or outside host of the lab, or {@code router}
     * @return this
     */
    public Requests from(String source) {
        generator.from(source);
        return this;
    }

    /**
     * Where they go.
     *
     * @param serviceOrHost a Service's name (resolved by the source's DNS), an IP address or a host name
     * @param port a TCP port
     * @return this
     */
    public Requests to(String serviceOrHost, int port) {
        generator.to(serviceOrHost, port);
        return this;
    }

    /**
     * How many requests to send (one at a time); 1 unless set.
     *
     * @param n at least 1
     * @return this
     */
    public Requests times(int n) {
        generator.times(n);
        return this;
    }

    /**
     * Sends the requests and counts every one.
     *
     * @return answers by pod and failures by reason
     */
    public Result run() {
        LoadGenerator.Result r = generator.run();
        return new Result(r.sent(), r.answered(), r.failed(), r.byPod(), r.failures());
    }

    /**
     * Sends the requests and returns only the answers by pod; failures are in {@link #run()}'s result.
     *
     * @return answers by pod
     */
    public Map<String, Integer> byPod() {
        return run().byPod();
    }
}
