package io.kubenetlab.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's words: one aligned line per check (columns sized from the plan, so lines can be
 * printed as their checks finish; the DNS lines have columns of their own), notes, and the closing summary.
 */
public final class Report {
    /** Column widths {kind, service, target, from}: the traffic lines, and the DNS lines (aligned among themselves). */
    private final int[] traffic = new int[4];
    private final int[] dns = new int[4];

    public Report(VerifyPlan plan) {
        for (Check c : plan.checks()) {
            int[] w = c.kind() == Check.Kind.DNS ? dns : traffic;
            w[0] = Math.max(w[0], c.kind().label.length());
            w[1] = Math.max(w[1], c.service().length());
            w[2] = Math.max(w[2], c.target().length());
            w[3] = Math.max(w[3], c.from().length());
        }
    }

    public String line(CheckResult r) {
        Check c = r.check();
        int[] w = c.kind() == Check.Kind.DNS ? dns : traffic;
        String head = pad(c.kind().label, w[0]) + "  " + pad(c.service(), w[1]) + "  " + pad(c.target(), w[2])
                + "  from " + pad(c.from(), w[3]) + "  " + r.result() + "  ";
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
