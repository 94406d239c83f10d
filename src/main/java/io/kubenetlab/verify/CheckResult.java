package io.kubenetlab.verify;

/** A check after its traffic: what it saw ({@code result}) and, when it failed, why. */
public record CheckResult(Check check, boolean passed, String result, String reason) {
    public static CheckResult pass(Check c, String result) {
        return new CheckResult(c, true, result, null);
    }

    public static CheckResult fail(Check c, String result, String reason) {
        return new CheckResult(c, false, result, reason);
    }
}
