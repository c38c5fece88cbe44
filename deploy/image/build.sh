#!/usr/bin/env bash
# Builds the service's image from the Dockerfile at the project root, with Docker when a Docker engine answers, else
# with podman, then prints the image's size and layers.
#
#   deploy/image/build.sh [--tag NAME] [--local-bases] [--maven-repo DIR]
#
#   --tag NAME        image name (default immuta-view-sync:latest)
#   --local-bases     build on base images made from Debian's packages (debootstrap) instead of the public
#                     eclipse-temurin:17-jdk / 17-jre. Chosen by itself when those cannot be pulled.
#   --maven-repo DIR  (podman) mount DIR as the build's Maven repository, e.g. ~/.m2, so that dependencies already
#                     downloaded are not downloaded again.
#
# The local bases are Debian bookworm with openjdk-17-jdk-headless (build stage) and openjdk-17-jre-headless (run
# stage), imported as localhost/viewsync-base-jdk:17-bookworm and localhost/viewsync-base-jre:17-bookworm; they are
# made once and reused. Making them needs root, debootstrap and Debian's package mirror.
set -euo pipefail
cd "$(dirname "$0")/../.."

TAG=immuta-view-sync:latest
LOCAL_BASES=false
MAVEN_REPO=
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG=$2; shift 2 ;;
    --local-bases) LOCAL_BASES=true; shift ;;
    --maven-repo) MAVEN_REPO=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

PUBLIC_BUILD_IMAGE=eclipse-temurin:17-jdk
PUBLIC_RUNTIME_IMAGE=eclipse-temurin:17-jre
LOCAL_BUILD_IMAGE=localhost/viewsync-base-jdk:17-bookworm
LOCAL_RUNTIME_IMAGE=localhost/viewsync-base-jre:17-bookworm

# A docker client without an engine behind it (no daemon, no socket) cannot build: then podman.
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  ENGINE=docker
  BUILD_OPTIONS=()
elif command -v podman >/dev/null 2>&1; then
  ENGINE=podman
  # podman's default isolation needs cgroups that a container or CI sandbox may not give; chroot needs none.
  BUILD_OPTIONS=(--isolation chroot)
else
  echo "Neither a Docker engine nor podman is available: install one (Debian: apt-get install -y podman)." >&2
  exit 1
fi
echo "Engine: $ENGINE"

image_exists() {
  "$ENGINE" image inspect "$1" >/dev/null 2>&1
}

pullable() {
  image_exists "$1" || "$ENGINE" pull -q "$1" >/dev/null 2>&1
}

# Debian bookworm (minbase) with one package and what it depends on, imported as an image. Package lists and the
# downloaded .deb files are removed: nothing in the image installs packages.
make_base() {
  local image=$1 package=$2 trust_host_cas=$3 root
  if image_exists "$image"; then
    echo "Base $image: present"
    return
  fi
  command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is needed to make $image (apt-get install -y debootstrap)" >&2; exit 1; }
  root=$(mktemp -d /tmp/viewsync-base.XXXXXX)
  echo "Base $image: debootstrap bookworm with $package ..."
  if ! debootstrap --variant=minbase --include="$package" bookworm "$root" >"$root.log" 2>&1; then
    tail -20 "$root.log" >&2
    exit 1
  fi
  if [ "$trust_host_cas" = true ] && compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    # The build stage downloads Maven and the dependencies: where the network passes through a TLS-inspecting
    # proxy, it must trust the CAs this machine trusts. Only the build base gets them, never the shipped image.
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    unshare --mount sh -c "mount -t proc proc '$root/proc' && chroot '$root' update-ca-certificates >/dev/null 2>&1; chroot '$root' dpkg --configure -a >/dev/null"
    echo "Base $image: trusts the CAs in /usr/local/share/ca-certificates"
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/*
  tar -C "$root" --numeric-owner -c . | "$ENGINE" import - "$image" >/dev/null
  rm -rf "$root" "$root.log"
  echo "Base $image: made"
}

if [ "$LOCAL_BASES" = false ] && ! { pullable "$PUBLIC_BUILD_IMAGE" && pullable "$PUBLIC_RUNTIME_IMAGE"; }; then
  echo "The public bases ($PUBLIC_BUILD_IMAGE, $PUBLIC_RUNTIME_IMAGE) cannot be pulled: using local Debian bases."
  LOCAL_BASES=true
fi
if [ "$LOCAL_BASES" = true ]; then
  make_base "$LOCAL_BUILD_IMAGE" openjdk-17-jdk-headless true
  make_base "$LOCAL_RUNTIME_IMAGE" openjdk-17-jre-headless false
  BUILD_OPTIONS+=(--build-arg "BUILD_IMAGE=$LOCAL_BUILD_IMAGE" --build-arg "RUNTIME_IMAGE=$LOCAL_RUNTIME_IMAGE")
fi
if [ -n "$MAVEN_REPO" ]; then
  if [ "$ENGINE" != podman ]; then
    echo "--maven-repo needs podman (docker build mounts no volumes); building without it." >&2
  else
    mkdir -p "$MAVEN_REPO"
    BUILD_OPTIONS+=(-v "$(cd "$MAVEN_REPO" && pwd):/root/.m2")
  fi
fi

started=$(date +%s)
"$ENGINE" build "${BUILD_OPTIONS[@]}" -t "$TAG" .
echo "Built $TAG with $ENGINE in $(( $(date +%s) - started )) s"

size=$("$ENGINE" image inspect --format '{{.Size}}' "$TAG")
echo "Image $TAG: $(( size / 1024 / 1024 )) MiB, $("$ENGINE" image inspect --format '{{len .RootFS.Layers}}' "$TAG") layers"
"$ENGINE" history --no-trunc --format '{{.Size}}\t{{.CreatedBy}}' "$TAG" | cut -c1-150
