package io.kubenetlab.verify;

import java.util.List;

/**
 * What a probe should see, as kube-proxy's rules decide it.
 *
 * @param mode     answers, a refusal (REJECT: the Service has no ready endpoint) or silence (DROP: a
 *                 Local traffic policy and no ready endpoint on the node the traffic enters)
 * @param backends the hostnames of the pods that may answer; null when some endpoint is not a lab pod
 *                 (then answers are only counted, not attributed)
 * @param sticky   sessionAffinity ClientIP: every answer from one pod
 * @param why      why a refusal or drop is expected, as the report says it
 */
public record Expect(Mode mode, List<String> backends, boolean sticky, String why) {
    public enum Mode { ANSWER, REFUSE, DROP }

    public static Expect answer(List<String> backends, boolean sticky) {
        return new Expect(Mode.ANSWER, backends == null ? null : List.copyOf(backends), sticky, null);
    }

    public static Expect refuse(String why) {
        return new Expect(Mode.REFUSE, List.of(), false, why);
    }

    public static Expect drop(String why) {
        return new Expect(Mode.DROP, List.of(), false, why);
    }
}
