#!/usr/bin/env bash
# Every test: unit tests (pure logic) and integration tests that build real namespaces (as root),
# on both runtimes: the docker ones need an engine and the lab images, so this starts dockerd when
# no engine answers (and stops it at the end: only an engine it started) and builds missing images.
# A full run (no arguments) then runs the example project through the installed library and the
# Vagrant check (scripts/vagrant-check.sh: `vagrant up --provider=docker`, verify, the walkthrough).
#   sudo scripts/test.sh              # everything
#   sudo scripts/test.sh MAVEN_ARGS   # the Maven run alone, with these arguments (e.g. -Dit.test=LoadIT)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build

started=
if ! scripts/dockerd.sh status; then
    scripts/dockerd.sh start
    started=1
fi
# A mark of this run's start: only reports newer than it count (see the skipped check below).
started_at=$(mktemp)
box_pid= box_log=$(mktemp /var/tmp/kubenetlab-box-build.XXXXXX)
# The engine stops only once the Vagrant box's build (below) has ended: a build cut off leaves containers.
trap '[ -z "$box_pid" ] || wait "$box_pid" || true; [ -z "$started" ] || scripts/dockerd.sh stop; rm -f "$started_at" "$box_log"' EXIT
scripts/build-images.sh
# The Vagrant check's box (vagrant/Dockerfile: setup.sh's packages from the Debian mirror, a minute or
# two the first time) builds beside the Maven run, mostly waiting on the network; the check runs last.
if [ $# -eq 0 ]; then
    scripts/vagrant-box.sh build >"$box_log" 2>&1 &
    box_pid=$!
fi
# An engine is expected from here on: a docker test that cannot reach it fails instead of skipping.
export KUBENETLAB_DOCKER_TESTS=required

# install = verify (every test), then the library into the local Maven repository for the example below.
mvn -B install "$@"

# No test of ours may skip: any <skipped> in a surefire or failsafe report fails the run, naming the
# tests (testcase name and class) that skipped. (A class skipped whole reports its tests as skipped too.)
# Only this run's reports (newer than its start): an earlier run's may lie around.
skipped_in() {   # report files...: "class#name" of each skipped test case
    for f in "$@"; do
        [ -f "$f" ] && [ "$f" -nt "$started_at" ] || continue
        # A <testcase ...> element followed (same or next line) by <skipped: print "class#name".
        awk '/<testcase /{tc=$0} /<skipped/{n=tc; sub(/.* name="/,"",n); sub(/".*/,"",n); c=tc; sub(/.* classname="/,"",c); sub(/".*/,"",c); print c "#" n}' "$f"
    done
}
skipped_tests=$(skipped_in target/surefire-reports/TEST-*.xml target/failsafe-reports/TEST-*.xml)
if [ -n "$skipped_tests" ]; then
    echo "test.sh: tests were skipped (none may skip: a missing tool must fail its test):" >&2
    echo "$skipped_tests" | sed 's/^/  /' >&2
    exit 1
fi
echo "test.sh: no test skipped ($(find target/surefire-reports target/failsafe-reports -name 'TEST-*.xml' -newer "$started_at" -exec cat {} + 2>/dev/null | grep -c '<testcase' || true) test cases in this run's reports)"

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
    skipped=$(skipped_in examples/junit5-e2e/target/surefire-reports/TEST-*.xml)
    if [ "${ran:-0}" -ne 4 ] || [ -n "$skipped" ]; then
        echo "test.sh: examples/junit5-e2e ran ${ran:-0} tests (4 expected); skipped: ${skipped:-none}" >&2
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

# `vagrant up --provider=docker` as a user runs it, the lab verified inside, the walkthrough's every
# command, `vagrant destroy -f`, and the host as it was (scripts/vagrant-check.sh). Vagrant is installed
# by setup.sh: without it this fails rather than skips.
if [ $# -eq 0 ]; then
    if ! wait "$box_pid"; then
        box_pid=
        cat "$box_log" >&2
        echo "test.sh: building the Vagrant box failed (scripts/vagrant-box.sh build)" >&2
        exit 1
    fi
    box_pid=
    cat "$box_log"
    scripts/vagrant-check.sh
fi

