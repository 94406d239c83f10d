#!/bin/sh
# Runs the deploy benchmark (bench/DeployBench.java) as root, from any directory. Builds
# target/kubenetlab.jar if it is missing (or rebuilds it with --build), then benchmarks a private
# snapshot of the jar and of scripts/kubenetlab: a rebuild of target/ by someone else during the run
# cannot break it. Other options go to DeployBench (--help lists them), e.g.
#   bench/run.sh --only pods --pods 100,500 --pod-reps 3
set -eu
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
if [ "${1:-}" = "--build" ]; then shift; rm -f target/kubenetlab.jar; fi
if [ ! -f target/kubenetlab.jar ]; then
    echo "bench: building target/kubenetlab.jar" >&2
    mvn -q -B package -DskipTests
fi
if [ "$(id -u)" -ne 0 ]; then echo "bench: run as root (labs create network namespaces)" >&2; exit 1; fi
snap=$(mktemp -d /var/tmp/kubenetlab-bench-jar.XXXXXX)   # not /tmp: sandboxes mount their own
trap 'rm -rf "$snap"' EXIT
mkdir "$snap/scripts" "$snap/target"
cp scripts/kubenetlab "$snap/scripts/"
cp target/kubenetlab.jar "$snap/target/"
# The class-data-sharing archive, as the build makes it (pom.xml), for the copy: an archive names the
# jar's path, so the build's own would be refused for the snapshot and the JVMs would start without.
if [ -f target/kubenetlab.jsa ]; then
    java -Xshare:dump -XX:SharedClassListFile=src/main/cds/classlist -XX:SharedArchiveFile="$snap/target/kubenetlab.jsa" \
        -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$snap/target/kubenetlab.jar" >/dev/null
fi
# The snapshot launcher finds its jar next to itself, exactly like scripts/kubenetlab in the repo.
java -XX:+UseSerialGC -cp "$snap/target/kubenetlab.jar" bench/DeployBench.java --repo "$repo" --cli "$snap/scripts/kubenetlab" "$@"
