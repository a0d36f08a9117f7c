#!/bin/sh
# The one definition of how a host is published: the image build (Dockerfile) and tests/Deployment.Tests
# (PublishedHosts, which starts each published host with its pod's environment) both call this, so the tests run
# exactly the folder an image holds.
#   publish.sh <project file> <output folder> <configuration> [--no-restore | --no-build]
# Framework-dependent, for the ASP.NET runtime of the base image; no native launcher (the image starts
# `dotnet <assembly>.dll`, so the process gets SIGTERM itself).
set -eu
if [ $# -lt 3 ]; then
    echo "usage: $0 <project file> <output folder> <configuration> [--no-restore | --no-build]" >&2
    exit 64
fi
project=$1
output=$2
configuration=$3
shift 3
exec dotnet publish "$project" -c "$configuration" -o "$output" \
    --no-self-contained -p:UseAppHost=false \
    --disable-build-servers -nologo -v:q "$@"
