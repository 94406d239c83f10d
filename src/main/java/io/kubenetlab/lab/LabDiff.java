package io.kubenetlab.lab;

import io.kubenetlab.plan.MachinePlan;
import io.kubenetlab.plan.PlanDiff;
import io.kubenetlab.runtime.LiveState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code plan --diff}: each planned namespace of a running lab read back and compared with its plan. */
public final class LabDiff {
    private LabDiff() {}

    /** The differences, machine by machine in plan order; none on a healthy lab. Reads the kernel, changes nothing. */
    public static List<PlanDiff.Difference> compare(Lab lab, List<MachinePlan> machines) {
        LabEngine engine = lab.engine();
        // The scratch namespace that spells out the planned rules takes this lab's own xtables lock.
        var lock = engine.store().labDir(engine.name()).resolve("xtables-plan.lock");
        List<CompletableFuture<List<PlanDiff.Difference>>> work = new ArrayList<>();
        for (MachinePlan m : machines) {
            work.add(CompletableFuture.supplyAsync(() -> PlanDiff.compare(m, LiveState.observe(engine.kernel(), m, lock))));
        }
        List<PlanDiff.Difference> out = new ArrayList<>();
        for (var w : work) out.addAll(w.join());
        return out;
    }
}
