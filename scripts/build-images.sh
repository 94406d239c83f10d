#!/usr/bin/env bash
# Builds the docker runtime's images locally: no registry is needed (or reachable) here.
#   sudo scripts/build-images.sh           # builds what is missing or stale, skips the rest
#   sudo scripts/build-images.sh --force   # rebuilds every image
# One Debian bookworm rootfs (debootstrap from the mirror apt uses, cached under
# /var/cache/kubenetlab) is imported once as kubenetlab/debian:bookworm; every other image is that
# image with its own PATH and CMD (metadata only, no copy). The image profiles' shims (the python:2.7
# SimpleHTTPServer, alpine's nc -N, postgres-server) live in /opt/kubenetlab/images/<profile>/bin
# and come first on the PATH of the image that stands in for that image.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "build-images.sh: run as root (sudo scripts/build-images.sh): it runs debootstrap and docker" >&2
    exit 1
fi
for tool in debootstrap docker; do
    command -v "$tool" >/dev/null || { echo "build-images.sh: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }
done
# An engine is needed: start one when none answers (it keeps running for the labs; scripts/dockerd.sh stop).
scripts/dockerd.sh start >/dev/null

SUITE=bookworm
# The userland every lab image has: the article's tools, the lab's kernel tools (iproute2 brings
# bridge(8) for VXLAN forwarding entries), the BGP daemon of the bgp plugin, tcpdump, the outside database.
PACKAGES=python3,netcat-openbsd,iproute2,iptables,nftables,conntrack,procps,iputils-ping,bind9-dnsutils,bird2,tcpdump,postgresql,postgresql-client
BASE=kubenetlab/debian:$SUITE
SHIMS=src/main/resources/io/kubenetlab/images
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CACHE=/var/cache/kubenetlab
ROOTFS_TAR=$CACHE/rootfs-$SUITE.tar

# image tag | profile (shim directory, or -) | CMD as JSON | WORKDIR (optional)
IMAGES=(
    "kubenetlab/python:2.7|python2|[\"python2\"]"
    "kubenetlab/python:3|python3|[\"python3\"]"
    "kubenetlab/alpine:latest|alpine|[\"/bin/sh\"]"
    "kubenetlab/postgres:15|postgres|[\"postgres-server\"]|/var/lib/postgresql"
    "kubenetlab/node:$SUITE|-|[\"sleep\",\"infinity\"]"
)

# The version of the whole set: the package list, the shims and this script. A mismatch rebuilds.
version=$( { echo "$SUITE $PACKAGES"; cat "$0"; find "$SHIMS" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
label() { docker image inspect --format '{{ index .Config.Labels "io.kubenetlab.images" }}' "$1" 2>/dev/null || true; }

stale=()
for tag in "$BASE" $(printf '%s\n' "${IMAGES[@]}" | cut -d'|' -f1); do
    [ "${1:-}" = "--force" ] || [ "$(label "$tag")" != "$version" ] && stale+=("$tag")
done
if [ ${#stale[@]} -eq 0 ]; then
    echo "build-images.sh: all images present (version $version)"
    exit 0
fi

# The mirror apt uses (deb822 sources first, then a one-line sources.list).
mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n 1 || true)
[ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n 1 || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

mkdir -p "$CACHE"
stamp="$SUITE $PACKAGES $mirror"
if [ ! -s "$ROOTFS_TAR" ] || [ "$(cat "$ROOTFS_TAR.stamp" 2>/dev/null)" != "$stamp" ]; then
    dir=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
    echo "build-images.sh: debootstrap $SUITE from $mirror (about a minute)"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$dir" "$mirror" >"$CACHE/debootstrap.log" 2>&1 || {
        echo "build-images.sh: debootstrap failed; see $CACHE/debootstrap.log" >&2; tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
    # Smaller image, nothing host-specific inside.
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/etc/hostname "$dir"/etc/resolv.conf
    tar --numeric-owner -C "$dir" -cf "$ROOTFS_TAR.tmp" .
    mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    echo "$stamp" > "$ROOTFS_TAR.stamp"
    rm -rf "$dir"
    trap - EXIT
else
    echo "build-images.sh: using the cached rootfs $ROOTFS_TAR"
fi

# The shims go into the rootfs as a second tar stream appended to the cached one (no unpacking).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in "$SHIMS"/*/; do
    p=$(basename "$d")
    mkdir -p "$work/opt/kubenetlab/images/$p/bin"
    install -m 0755 "$d"* "$work/opt/kubenetlab/images/$p/bin/"
done
cp "$ROOTFS_TAR" "$work/rootfs.tar"
tar --numeric-owner --owner=0 --group=0 -C "$work" -rf "$work/rootfs.tar" ./opt/kubenetlab

# The images this rebuild replaces: removed at the end if nothing else uses them.
old_ids=$(for t in "$BASE" $(printf '%s\n' "${IMAGES[@]}" | cut -d'|' -f1); do docker image inspect -f '{{.Id}}' "$t" 2>/dev/null || true; done | sort -u)

echo "build-images.sh: docker import $BASE"
docker import --change "ENV PATH=$SYSTEM_PATH" --change 'CMD ["bash"]' \
    --change "LABEL io.kubenetlab.images=$version" --change "LABEL io.kubenetlab.packages=$PACKAGES" "$work/rootfs.tar" "$BASE" >/dev/null

for entry in "${IMAGES[@]}"; do
    IFS='|' read -r tag profile cmd workdir <<<"$entry"
    path=$SYSTEM_PATH
    [ "$profile" = "-" ] || path=/opt/kubenetlab/images/$profile/bin:$SYSTEM_PATH
    # Metadata only (ENV, CMD, WORKDIR, LABEL) on top of the base: the legacy builder needs no registry.
    { printf 'FROM %s\nENV PATH=%s\nCMD %s\nLABEL io.kubenetlab.images=%s\n' "$BASE" "$path" "$cmd" "$version"
      [ -z "$workdir" ] || printf 'WORKDIR %s\n' "$workdir"; } |
        DOCKER_BUILDKIT=0 docker build -q -t "$tag" - >/dev/null 2>"$work/build.err" || {
        echo "build-images.sh: docker build $tag failed:" >&2; cat "$work/build.err" >&2; exit 1; }
    echo "build-images.sh: built $tag"
done
for id in $old_ids; do
    # Only images left without a tag: a container still using one keeps it.
    [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$id" 2>/dev/null)" ] && docker image rm "$id" >/dev/null 2>&1 || true
done
echo "build-images.sh: done (version $version)"
