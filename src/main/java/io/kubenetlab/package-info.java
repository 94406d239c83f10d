/**
 * kubenetlab's public Java API, for test suites and programs that need a Kubernetes cluster's
 * network: start a lab from a lab file ({@link io.kubenetlab.KubenetLab#fromFile}) or build one in
 * code ({@link io.kubenetlab.KubenetLab#builder()}), then use the {@link io.kubenetlab.Lab}: its
 * Kubernetes API (fabric8 or kubectl), commands in its pods, a load generator, network faults, and
 * destroy. JUnit 5 tests get labs through {@link io.kubenetlab.junit5.KubenetLab}.
 *
 * <p>This package and {@code io.kubenetlab.junit5} are the public API; every other package of
 * kubenetlab is internal and may change without notice.
 */
package io.kubenetlab;
