#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image from the
# bundle `Course gradescope --bundle` wrote (unpacked in /autograder/source). It
# installs the Swift toolchain, builds the grader, and prepares the copy of the
# package in which every submission is built, so that a submission rebuilds only its
# own files.
#
# The toolchain: Swift's official Linux release for the image's Ubuntu, unpacked in
# $SWIFT_ROOT (https://www.swift.org/install/linux/ lists the builds and the packages
# they need). Gradescope's default base image is Ubuntu 22.04; for 24.04 set
# SWIFT_PLATFORM=ubuntu2404, SWIFT_ARCHIVE_SUFFIX=ubuntu24.04 and GCC_VERSION=13
# below. The download is not verified here beyond HTTPS: to check swift.org's
# signature, see the page above (gpg --verify with its keys). A toolchain already
# on PATH (LEARN_SWIFT_ROOT, or a custom image) is used as it is.
set -euo pipefail

ROOT="${LEARN_AUTOGRADER_ROOT:-/autograder}"
SWIFT_ROOT="${LEARN_SWIFT_ROOT:-/opt/swift}"
SWIFT_VERSION="${SWIFT_VERSION:-6.3}"
SWIFT_PLATFORM="${SWIFT_PLATFORM:-ubuntu2204}"
SWIFT_ARCHIVE_SUFFIX="${SWIFT_ARCHIVE_SUFFIX:-ubuntu22.04}"
GCC_VERSION="${GCC_VERSION:-11}"
export PATH="$SWIFT_ROOT/usr/bin:$PATH"

if ! command -v swift >/dev/null 2>&1; then
    apt-get update
    # What the toolchain needs (swift.org's list for Ubuntu), plus unzip and
    # util-linux's prlimit/setpriv, which confine each check.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        binutils ca-certificates curl git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 \
        libgcc-$GCC_VERSION-dev libpython3-dev libsqlite3-0 libstdc++-$GCC_VERSION-dev libxml2-dev libz3-dev \
        pkg-config python3 tzdata unzip util-linux zlib1g-dev
    release="swift-$SWIFT_VERSION-RELEASE"
    url="https://download.swift.org/swift-$SWIFT_VERSION-release/$SWIFT_PLATFORM/$release/$release-$SWIFT_ARCHIVE_SUFFIX.tar.gz"
    mkdir -p "$SWIFT_ROOT"
    curl -fsSL "$url" | tar -xz -C "$SWIFT_ROOT" --strip-components=1
fi
swift --version

# The grader itself, then the copy submissions are built in (its first build is the
# long one: a few minutes on two cores).
cd "$ROOT/source/package"
swift build -c release --product Course
.build/release/Course gradescope --prepare --root "$ROOT"
