package io.kubenetlab.junit5;

import io.kubenetlab.Lab;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The JUnit 5 extension behind {@link KubenetLab} (registered by it): deploys the class's lab before
 * all tests, or each test's lab before it, keeps it in the extension context's store (JUnit closes
 * it, which destroys the lab, when the class or test ends, also after a failure), injects it into
 * {@link LabInstance} fields and parameters, and attaches the lab's logs to a failing test's report
 * ({@link FailureLogs}).
 */
public final class KubenetLabExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KubenetLabExtension.class);
    private static final String KEY = "lab";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        LabSettings settings = settings(testClass);
        // A @Nested class without an annotation of its own shares its outer class's lab.
        boolean own = testClass.getAnnotation(KubenetLab.class) != null;
        if (settings.lifecycle() == KubenetLab.Lifecycle.PER_CLASS && (own || lab(context).isEmpty())) {
            context.getStore(NS).put(KEY, deploy(settings, context));
        }
        Lab lab = lab(context).orElse(null);
        if (lab != null) injectFields(testClass, null, lab);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LabSettings settings = settings(context.getRequiredTestClass());
        if (settings.lifecycle() == KubenetLab.Lifecycle.PER_METHOD) {
            context.getStore(NS).put(KEY, deploy(settings, context));
        }
        Lab lab = lab(context).orElseThrow();
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) injectFields(instance.getClass(), instance, lab);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // A per-method lab's static field must not point at a destroyed lab once its test is over.
        if (settings(context.getRequiredTestClass()).lifecycle() == KubenetLab.Lifecycle.PER_METHOD) {
            injectFields(context.getRequiredTestClass(), null, null);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(LabInstance.class) && parameterContext.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return lab(extensionContext).orElseThrow(() -> new ParameterResolutionException("no lab here yet: with lifecycle PER_METHOD a lab"
                + " exists only for a test and its @BeforeEach/@AfterEach methods, not for @BeforeAll/@AfterAll ("
                + parameterContext.getDeclaringExecutable() + ")"));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        // Here, not in a TestWatcher: a per-method lab is already destroyed when watchers hear of the failure.
        lab(context).ifPresent(lab -> FailureLogs.publish(lab, context));
        throw throwable;
    }

    private static LabSettings settings(Class<?> testClass) {
        KubenetLab a = LabSettings.find(testClass)
                .orElseThrow(() -> new ExtensionConfigurationException(testClass.getName() + " has no @KubenetLab"));
        try {
            return LabSettings.of(a, testClass);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    /** Deploys a lab and says in the test report which lab it is and how long it took. */
    private static LabResource deploy(LabSettings settings, ExtensionContext context) {
        // Not root: LabStarter.start() fails the class (a failure, not a skip: a green run must have run its lab tests).
        long t0 = System.nanoTime();
        Lab lab = settings.start();
        context.publishReportEntry("kubenetlab.lab", lab.name() + " deployed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return new LabResource(lab);
    }

    /** The lab of this context or of the nearest enclosing one (a method's own, else its class's). */
    private static Optional<Lab> lab(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NS).get(KEY, LabResource.class)).map(LabResource::lab);
    }

    /** Sets the {@link LabInstance} fields of a class and its superclasses: static ones if {@code instance} is null. */
    private static void injectFields(Class<?> type, Object instance, Lab lab) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(LabInstance.class) || Modifier.isStatic(f.getModifiers()) != (instance == null)) continue;
                if (f.getType() != Lab.class) {
                    throw new ExtensionConfigurationException("@LabInstance field " + c.getName() + "." + f.getName() + " must be of type "
                            + Lab.class.getName());
                }
                try {
                    f.setAccessible(true);
                    f.set(instance, lab);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new ExtensionConfigurationException("cannot set @LabInstance field " + c.getName() + "." + f.getName(), e);
                }
            }
        }
    }
}
