package io.kubenetlab.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's words: one aligned line per check (columns sized from the plan, so lines can be
 * printed as their checks finish), notes, and the closing summary.
 */
public final class Report {
    private final int kindWidth;
    private final int serviceWidth;
    private final int targetWidth;
    private final int fromWidth;

    public Report(VerifyPlan plan) {
        int k = 0, s = 0, t = 0, f = 0;
        for (Check c : plan.checks()) {
            k = Math.max(k, c.kind().label.length());
            s = Math.max(s, c.service().length());
            t = Math.max(t, c.target().length());
            f = Math.max(f, c.from().length());
        }
        kindWidth = k;
        serviceWidth = s;
        targetWidth = t;
        fromWidth = f;
    }

    public String line(CheckResult r) {
        Check c = r.check();
        String head = pad(c.kind().label, kindWidth) + "  " + pad(c.service(), serviceWidth) + "  " + pad(c.target(), targetWidth)
                + "  from " + pad(c.from(), fromWidth) + "  " + r.result() + "  ";
        return head + (r.passed() ? "PASS" : "FAIL: " + r.reason());
    }

    public static String note(String note) {
        return "note: " + note;
    }

    /**
     * The closing lines: "verify: 25 checks, 25 passed", or the counts followed by one
     * "verify: FAILED: LINE" per failed check, so the last line names a failure.
     */
    public List<String> summary(List<CheckResult> results) {
        List<String> out = new ArrayList<>();
        long failed = results.stream().filter(r -> !r.passed()).count();
        long passed = results.size() - failed;
        String counts = "verify: " + results.size() + " check" + (results.size() == 1 ? "" : "s") + ", " + passed + " passed";
        if (failed == 0) {
            out.add(counts);
            return out;
        }
        out.add(counts + ", " + failed + " failed");
        for (CheckResult r : results) if (!r.passed()) out.add("verify: FAILED: " + line(r));
        return out;
    }

    public static boolean allPassed(List<CheckResult> results) {
        return results.stream().allMatch(CheckResult::passed);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
