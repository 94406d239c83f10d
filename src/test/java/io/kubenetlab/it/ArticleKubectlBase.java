package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.it.Kubectl.Out;
import io.kubenetlab.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * An integration test class on one article lab of its own, driven through the real kubectl: the lab is
 * deployed once before the class's tests and destroyed (and checked gone) after them; kubectl has its own
 * discovery cache and scratch directory. Subclasses name their lab and scratch prefixes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArticleKubectlBase {
    private final String scratchPrefix;
    private final String labPrefix;
    String name;
    Lab lab;
    Kubectl kubectl;
    Path tmp;

    ArticleKubectlBase(String scratchPrefix, String labPrefix) {
        this.scratchPrefix = scratchPrefix;
        this.labPrefix = labPrefix;
    }

    @BeforeAll
    void deployArticleLab() throws IOException {
        kubectl = Kubectl.create(scratchPrefix, kubectlBinary());
        tmp = kubectl.scratch();
        name = ItSupport.uniqueLab(labPrefix);
        lab = ItSupport.deployArticle(name);
    }

    @AfterAll
    void destroyArticleLab() {
        if (kubectl != null) kubectl.close();
        if (lab == null) return;
        lab.close();
        ItSupport.assertGone(name);
    }

    /** The kubectl the class drives: the machine's, unless a class needs a given version. */
    java.nio.file.Path kubectlBinary() {
        return ItSupport.requireKubectl();
    }

    Out kubectl(Lab l, String... args) {
        return kubectl.run(l, args);
    }

    String ok(Lab l, String... args) {
        return kubectl.ok(l, args);
    }

    String ok(String... args) {
        return kubectl.ok(lab, args);
    }

    /** A manifest written into the scratch directory. */
    Path file(String fileName, String text) throws IOException {
        Path f = tmp.resolve(fileName);
        Files.writeString(f, text);
        return f;
    }

    /** Waits until check holds, polling every 100 ms; fails after {@code millis}. */
    static void eventually(String what, long millis, Supplier<Boolean> check) {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.get()) {
            assertThat(System.currentTimeMillis()).as(what + " within " + millis + " ms").isLessThan(deadline);
            io.kubenetlab.kernel.Procs.sleep(100);
        }
    }
}
