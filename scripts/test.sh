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

mvn -B verify "$@"

# No false green: a full run must have run the docker test classes, none of their tests skipped.
if [ $# -eq 0 ]; then
    for cls in DockerLifecycleIT ArticleLabRuntimesIT; do
        report=target/failsafe-reports/TEST-io.kubenetlab.it.$cls.xml
        tests=$(grep -o -m1 'tests="[0-9]*"' "$report" 2>/dev/null | tr -dc 0-9 || true)
        skipped=$(grep -o -m1 'skipped="[0-9]*"' "$report" 2>/dev/null | tr -dc 0-9 || true)
        if [ -z "$tests" ] || [ "$tests" -eq 0 ] || [ "${skipped:-0}" -ne 0 ]; then
            echo "test.sh: the docker tests did not run ($cls: tests=${tests:-none}, skipped=${skipped:-?}) although an engine was expected" >&2
            exit 1
        fi
        echo "test.sh: $cls ran $tests tests, none skipped"
    done
fi
