#!/usr/bin/env bash
# Fetches a real kubectl (Debian's kubernetes-client, kubectl 1.20) into
# .ci/tools/kubernetes-client/ without installing it system-wide: /usr/bin/kubectl
# may belong to another package (google-cloud-sdk's dispatcher), which would
# conflict. The kubeconfig and readiness tests run against it as well as the
# simulator (test/fixtures/real-kubectl.ts). Does nothing when it is already there.
# Prints the binary's absolute path on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.ci/tools/kubernetes-client"
bin="$dest/usr/bin/kubectl"
if [ ! -x "$bin" ]; then
  cache="$root/.ci/tools/cache"
  mkdir -p "$cache"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  shopt -s nullglob
  debs=("$cache"/kubernetes-client_*.deb)
  if [ "${#debs[@]}" -eq 0 ]; then
    # apt-get download writes into the current folder; update the lists first if they lack the package.
    if ! apt-cache show kubernetes-client >/dev/null 2>&1; then $SUDO apt-get update -qq; fi
    (cd "$cache" && apt-get download -qq kubernetes-client) || {
      $SUDO apt-get update -qq
      (cd "$cache" && apt-get download -qq kubernetes-client)
    }
    debs=("$cache"/kubernetes-client_*.deb)
  fi
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  dpkg-deb -x "${debs[0]}" "$dest.tmp"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
fi
"$bin" version --client >/dev/null
echo "$bin"
