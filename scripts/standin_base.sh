#!/usr/bin/env bash
# Make a stand-in for Airbyte's Python connector base image from Debian's packages alone, for machines
# that reach no image registry, and print its name. Same contract as airbyte/python-connector-base:
# Python 3.11 as `python` and `python3` with pip (no EXTERNALLY-MANAGED marker, so `pip install .`
# installs system-wide as root), ca-certificates, and the user `airbyte` with uid/gid 1000.
#
# The host's extra CA certificates (/usr/local/share/ca-certificates) are trusted inside, because pip
# in `docker build --network host` goes through the same network as the host. No secret goes in.
#
# The root file system is kept as a tar in the cache folder (SOURCE_PAYCOR_CACHE, default
# /var/cache/source-paycor, outside the clone) under a key of this script and those certificates, so a
# second run on the same machine imports it (seconds) instead of running debootstrap (about a minute).
# Needs root, debootstrap and a Docker engine (DOCKER_HOST).
set -euo pipefail

SUITE=bookworm
MIRROR=${STANDIN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=python3,python3-pip,python3-venv,python-is-python3,ca-certificates
CACHE=${SOURCE_PAYCOR_CACHE:-/var/cache/source-paycor}
HOST_CERTS=/usr/local/share/ca-certificates

key=$( { cat "$0"; echo "$MIRROR"; find "$HOST_CERTS" -name '*.crt' -type f -print0 2>/dev/null | sort -z | xargs -0r cat; } \
  | sha256sum | cut -c1-12)
IMAGE="source-paycor-standin-base:$SUITE-$key"
TARBALL="$CACHE/standin-base-$SUITE-$key.tar"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE"
  exit 0
fi

if [[ ! -s $TARBALL ]]; then
  command -v debootstrap >/dev/null || { echo "standin_base.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  mkdir -p "$CACHE"
  work=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  echo "standin_base.sh: debootstrap $SUITE into $rootfs" >&2
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
  if compgen -G "$HOST_CERTS/*.crt" >/dev/null; then
    cp "$HOST_CERTS"/*.crt "$rootfs/usr/local/share/ca-certificates/"
  fi
  chroot "$rootfs" update-ca-certificates >/dev/null
  chroot "$rootfs" groupadd --gid 1000 airbyte
  chroot "$rootfs" useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash airbyte
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/debootstrap
  tar -C "$rootfs" -cf "$TARBALL.part" .
  mv "$TARBALL.part" "$TARBALL"
  # Older stand-ins (another key) are no longer used.
  find "$CACHE" -maxdepth 1 -name "standin-base-$SUITE-*.tar" ! -name "$(basename "$TARBALL")" -delete
fi

docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  "$TARBALL" "$IMAGE" >/dev/null
echo "$IMAGE"
