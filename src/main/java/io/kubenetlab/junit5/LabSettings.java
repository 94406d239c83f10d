package io.kubenetlab.junit5;

import io.kubenetlab.lab.Lab;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link KubenetLab} annotation asks for, as data: the lab file, the deploy's overrides and
 * the lab's lifecycle. Empty strings of the annotation become nulls (the lab file's own choice).
 */
public record LabSettings(Path topology, String runtime, String cni, String proxyMode, KubenetLab.Lifecycle lifecycle, String namePrefix) {

    /** The settings of an annotation; the name prefix is the annotation's or derived from {@code testClass}. */
    public static LabSettings of(KubenetLab a, Class<?> testClass) {
        if (a.topology().isBlank()) throw new IllegalArgumentException("@KubenetLab on " + testClass.getName() + ": topology is empty");
        String prefix = a.namePrefix().isEmpty() ? UniqueLabName.prefixOf(testClass) : UniqueLabName.checkedPrefix(a.namePrefix());
        return new LabSettings(Path.of(a.topology()), a.runtime().id(), emptyToNull(a.cni()), emptyToNull(a.proxyMode()), a.lifecycle(), prefix);
    }

    /**
     * The annotation that governs a test class: its own (or a superclass's), else the nearest
     * enclosing class's ({@code @Nested} classes share their outer class's lab).
     */
    public static Optional<KubenetLab> find(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            KubenetLab a = c.getAnnotation(KubenetLab.class);
            if (a != null) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** The deploy options for a lab of this name. */
    public Lab.Options options(String labName) {
        return Lab.Options.defaults().withName(labName).withRuntime(runtime).withCni(cni).withProxyMode(proxyMode);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
