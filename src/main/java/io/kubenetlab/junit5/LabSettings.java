package io.kubenetlab.junit5;

import io.kubenetlab.Lab;
import io.kubenetlab.LabBuilder;
import io.kubenetlab.lab.UniqueLabName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link KubenetLab} annotation asks for, as data: where the lab comes from (a lab file or a
 * builder method of the test class), the deploy's overrides and the lab's lifecycle. Empty strings
 * of the annotation become nulls (the lab file's own choice).
 */
record LabSettings(Path topology, Method builder, String runtime, String cni, String proxyMode, KubenetLab.Lifecycle lifecycle,
                   String namePrefix) {

    /** The settings of an annotation; the name prefix is the annotation's or derived from {@code testClass}. */
    static LabSettings of(KubenetLab a, Class<?> testClass) {
        boolean file = !a.topology().isBlank();
        boolean built = !a.builder().isBlank();
        if (file == built) {
            throw new IllegalArgumentException("@KubenetLab on " + testClass.getName() + ": give exactly one of topology (a lab file) and"
                    + " builder (a static method returning a LabBuilder)");
        }
        String prefix = a.namePrefix().isEmpty() ? UniqueLabName.prefixOf(testClass) : UniqueLabName.checkedPrefix(a.namePrefix());
        return new LabSettings(file ? Path.of(a.topology()) : null, built ? builderMethod(testClass, a.builder()) : null,
                emptyToNull(a.runtime().id()), emptyToNull(a.cni()), emptyToNull(a.proxyMode()), a.lifecycle(), prefix);
    }

    /**
     * The annotation that governs a test class: its own (or a superclass's), else the nearest
     * enclosing class's ({@code @Nested} classes share their outer class's lab).
     */
    static Optional<KubenetLab> find(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            KubenetLab a = c.getAnnotation(KubenetLab.class);
            if (a != null) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** Starts the lab these settings describe, named {@code prefix-xxxxxx}. */
    Lab start() {
        if (topology != null) {
            return io.kubenetlab.KubenetLab.fromFile(topology).withNamePrefix(namePrefix).withRuntime(runtime).withCni(cni)
                    .withProxyMode(proxyMode).start();
        }
        LabBuilder b;
        try {
            b = (LabBuilder) builder.invoke(null);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("@KubenetLab builder method " + builder + " failed: " + cause, cause);
        }
        if (b == null) throw new IllegalStateException("@KubenetLab builder method " + builder + " returned null");
        b.name(namePrefix);
        if (runtime != null) b.runtime(runtime);
        if (cni != null) b.cni(cni);
        if (proxyMode != null) b.proxyMode(proxyMode);
        return b.start();
    }

    /** A static, argument-less method of the test class (or a superclass or enclosing class) that returns a LabBuilder. */
    private static Method builderMethod(Class<?> testClass, String name) {
        for (Class<?> outer = testClass; outer != null; outer = outer.getEnclosingClass()) {
            for (Class<?> c = outer; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (!m.getName().equals(name) || m.getParameterCount() != 0) continue;
                    if (!Modifier.isStatic(m.getModifiers()) || !LabBuilder.class.isAssignableFrom(m.getReturnType())) {
                        throw new IllegalArgumentException("@KubenetLab(builder = \"" + name + "\"): " + c.getName() + "." + name
                                + "() must be static and return " + LabBuilder.class.getName());
                    }
                    m.setAccessible(true);
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("@KubenetLab(builder = \"" + name + "\"): no method " + name + "() in " + testClass.getName());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
