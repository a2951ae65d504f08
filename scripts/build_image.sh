#!/usr/bin/env bash
# Build airbyte/source-paycor:<dockerImageTag of metadata.yaml> from the Dockerfile and print its name.
#
# The base is the Dockerfile's pinned default (equal to metadata.yaml's connectorBuildOptions.baseImage)
# when the engine has it or can pull it; otherwise the stand-in of scripts/standin_base.sh, with a line
# on stderr saying so. SOURCE_PAYCOR_BASE_IMAGE names another base outright.
# The legacy builder (no buildx here) with --network host: the engine runs without a bridge.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk '$1 == "dockerImageTag:" {print $2}' metadata.yaml)
repository=$(awk '$1 == "dockerRepository:" {print $2}' metadata.yaml)
pinned=$(sed -n 's/^ARG BASE_IMAGE=//p' Dockerfile)
[[ -n $version && -n $repository && -n $pinned ]] || { echo "build_image.sh: no version, repository or base found" >&2; exit 1; }
image="$repository:$version"

base=${SOURCE_PAYCOR_BASE_IMAGE:-}
if [[ -z $base ]]; then
  if docker image inspect "$pinned" >/dev/null 2>&1 || pull_error=$(timeout 120 docker pull --quiet "$pinned" 2>&1 >/dev/null); then
    base=$pinned
  else
    base=$(scripts/standin_base.sh)
    echo "build_image.sh: the pinned base cannot be pulled (${pull_error:-timed out}); building on the stand-in $base" >&2
  fi
fi

DOCKER_BUILDKIT=0 docker build --network host --build-arg "BASE_IMAGE=$base" --tag "$image" . >&2
echo "$image"
