#!/usr/bin/env bash
# Every test: unit tests (pure logic) and integration tests that build real namespaces (as root),
# on both runtimes: the docker ones need an engine and the lab images, so this starts dockerd when
# no engine answers (and stops it at the end: only an engine it started) and builds missing images.
#   sudo scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build

started=
if ! scripts/dockerd.sh status; then
    scripts/dockerd.sh start
    started=1
fi
trap '[ -z "$started" ] || scripts/dockerd.sh stop' EXIT
scripts/build-images.sh
# An engine is expected from here on: a docker test that cannot reach it fails instead of skipping.
export KUBENETLAB_DOCKER_TESTS=required

# install = verify (every test), then the library into the local Maven repository for the example below.
mvn -B install "$@"

# No false green: a full run must have run the docker tests, none of them skipped. Counted from
# the failsafe reports' <testcase> elements (a parameterized class's summary line says tests="0");
# ArticleLabRuntimesIT's docker invocation is its second ([2]).
if [ $# -eq 0 ]; then
    for check in "DockerLifecycleIT|io.kubenetlab.it.DockerLifecycleIT\"" "ArticleLabRuntimesIT|io.kubenetlab.it.ArticleLabRuntimesIT[2]\""; do
        cls=${check%%|*} classname=${check#*|}
        report=target/failsafe-reports/TEST-io.kubenetlab.it.$cls.xml
        tests=$(grep -cF "classname=\"$classname" "$report" 2>/dev/null || true)
        skipped=$(grep -c '<skipped' "$report" 2>/dev/null || true)
        if [ "${tests:-0}" -eq 0 ] || [ "${skipped:-0}" -ne 0 ]; then
            echo "test.sh: the docker tests did not run ($cls: ${tests:-0} docker tests, ${skipped:-?} skipped) although an engine was expected" >&2
            exit 1
        fi
        echo "test.sh: $cls ran ${tests} docker tests, none skipped"
    done
fi

# An outside project's end-to-end tests through the installed library and its JUnit 5 extension
# (examples/junit5-e2e): two test classes in parallel, each with its own article lab. It must run
# its four tests, none skipped, and leave no lab behind.
if [ $# -eq 0 ]; then
    mvn -B -f examples/junit5-e2e/pom.xml clean verify
    ran=$(cat examples/junit5-e2e/target/surefire-reports/TEST-*.xml | grep -c '<testcase' || true)
    skipped=$(cat examples/junit5-e2e/target/surefire-reports/TEST-*.xml | grep -c '<skipped' || true)
    if [ "${ran:-0}" -ne 4 ] || [ "${skipped:-0}" -ne 0 ]; then
        echo "test.sh: examples/junit5-e2e ran ${ran:-0} tests (4 expected), ${skipped:-?} skipped" >&2
        exit 1
    fi
    # The example's labs are named after its test classes; none may remain.
    left=$(ls /run/kubenetlab 2>/dev/null | grep -E '^(serviceroutingtest|nodeportandfailurestest)-' || true)
    if [ -n "$left" ]; then
        echo "test.sh: examples/junit5-e2e left labs behind: $(echo $left)" >&2
        exit 1
    fi
    echo "test.sh: examples/junit5-e2e ran its 4 tests through the installed library, none skipped, no lab left"
fi
