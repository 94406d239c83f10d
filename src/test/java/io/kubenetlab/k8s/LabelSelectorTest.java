package io.kubenetlab.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "pod-template-hash", "7d9c6b5f8");
    private static final Map<String, String> DB = Map.of("app", "db", "tier", "back");
    private static final Map<String, String> NONE = Map.of();

    private static boolean matches(String selector, Map<String, String> labels) {
        return LabelSelector.parse(selector).matches(labels);
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertThat(LabelSelector.everything().matches(WEB)).isTrue();
        assertThat(LabelSelector.everything().matches(NONE)).isTrue();
        assertThat(matches("", NONE)).isTrue();
        assertThat(matches("   ", DB)).isTrue();
        assertThat(LabelSelector.parse(null).matches(WEB)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // selector               | web   | db    | none
            "app=web                  | true  | false | false",
            "app==web                 | true  | false | false",
            "app = web                | true  | false | false",
            "app!=web                 | false | true  | true",
            "app != web               | false | true  | true",
            "app                      | true  | true  | false",
            "pod-template-hash        | true  | false | false",
            "!pod-template-hash       | false | true  | true",
            "! app                    | false | false | true",
            "app in (web,db)          | true  | true  | false",
            "app in (web, cache)      | true  | false | false",
            "app in (cache)           | false | false | false",
            "app notin (web)          | false | true  | true",
            "app notin (web, db)      | false | false | true",
            "app=web,tier=front       | true  | false | false",
            "app=web,tier=back        | false | false | false",
            "tier,app!=web            | false | true  | false",
            "app in (web,db),tier!=back | true | false | false",
            "tier in (front,back), !pod-template-hash | false | true | false",
            "app=nope                 | false | false | false",
            "missing!=x               | true  | true  | true",
            "missing notin (x)        | true  | true  | true",
            "missing in (x)           | false | false | false",
    })
    void requirements(String selector, boolean web, boolean db, boolean none) {
        assertThat(matches(selector.trim(), WEB)).as("%s on web", selector).isEqualTo(web);
        assertThat(matches(selector.trim(), DB)).as("%s on db", selector).isEqualTo(db);
        assertThat(matches(selector.trim(), NONE)).as("%s on no labels", selector).isEqualTo(none);
    }

    @Test
    void equalityIsExactNotPrefix() {
        assertThat(matches("app=we", WEB)).isFalse();
        assertThat(matches("app=webb", WEB)).isFalse();
        assertThat(matches("ap=web", WEB)).isFalse();
    }

    @Test
    void emptyValueMatchesAnEmptyLabel() {
        assertThat(matches("app=", Map.of("app", ""))).isTrue();
        assertThat(matches("app=", WEB)).isFalse();
        assertThat(matches("app", Map.of("app", ""))).isTrue();
    }

    @Test
    void articleSelector() {
        Map<String, String> pod = Map.of("app", "service_test_pod", "pod-template-hash", "abc");
        assertThat(matches("app=service_test_pod", pod)).isTrue();
        assertThat(matches("app=service_test_pod", Map.of("app", "other"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {",", "app=web,", ",app=web", "app=web,,tier=front", "=web", "!=web", "!", "==x",
            "app web", "app in (web", "app in web", "a b=c"})
    void malformedSelectorsAreRejected(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(selector);
    }

    @Test
    void emptyValuesInSetsAreTheEmptyStringLikeApimachinery() {
        // apimachinery's own example of valid syntax: "x in (foo,,baz),y,z notin ()"
        LabelSelector sel = LabelSelector.parse("x in (foo,,baz),y,z notin ()");
        assertThat(sel.matches(Map.of("x", "", "y", "1"))).isTrue();
        assertThat(sel.matches(Map.of("x", "baz", "y", "1", "z", "q"))).isTrue();
        assertThat(sel.matches(Map.of("x", "baz", "y", "1", "z", ""))).isFalse();
        assertThat(sel.matches(Map.of("x", "bar", "y", "1"))).isFalse();
        assertThat(sel.matches(Map.of("x", "foo"))).isFalse();
    }
}
