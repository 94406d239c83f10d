package io.kubenetlab.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks where the {@link KubenetLab} extension puts the test's {@link io.kubenetlab.Lab}: a
 * static field (per-class labs), an instance field, or a parameter of a test or lifecycle method.
 * The field or parameter's type must be {@code Lab}.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LabInstance {}
