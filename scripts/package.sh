#!/usr/bin/env bash
# Builds the Debian packages into packages/ (or the folder given):
# fieldflow-gateway, fieldflow-tools and fieldflow-agent for amd64 from
# build-package/, fieldflow-agent for arm64 from the cross build
# build-package-aarch64/; checks each with lintian; installs the amd64
# gateway and tools into a scratch root and proves that the installed
# gateway serves its dashboard from its own prefix. Lists what it made.
#   FIELDFLOW_PACKAGE_ARCHS="amd64"   leaves the arm64 build out
#   FIELDFLOW_PACKAGE_BUILD=build     packages an existing build folder (its
#                                     install prefix becomes /usr) instead
#   FIELDFLOW_PACKAGE_ARM64_BUILD=build-aarch64
#                                     the same for an existing cross build
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$(realpath -m "${1:-packages}")"
archs="${FIELDFLOW_PACKAGE_ARCHS:-amd64 arm64}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
mkdir -p "$out"
rm -f "$out"/fieldflow-*.deb

# The dashboard's chart library is packaged from web/node_modules.
if [ ! -f web/node_modules/uplot/dist/uPlot.iife.min.js ]; then
  npm ci --prefix web --no-audit --no-fund >/dev/null
fi

# No test suites in the packages' own build: they are built and run elsewhere.
build="${FIELDFLOW_PACKAGE_BUILD:-build-package}"
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr "${launcher[@]}")
[ -n "${FIELDFLOW_PACKAGE_BUILD:-}" ] || options+=(-DFIELDFLOW_TESTS=OFF)
cmake -S . -B "$build" "${options[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target fieldflow-gateway fieldflow fieldflow-agent fieldflow_changelog
(cd "$build" && cpack -G DEB -B "$out/.cpack" >/dev/null)
mv "$out"/.cpack/*.deb "$out"/

if [[ " $archs " == *" arm64 "* ]]; then
  bash scripts/install-cross-deps.sh
  arm_build="${FIELDFLOW_PACKAGE_ARM64_BUILD:-build-package-aarch64}"
  arm_options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr
               -DFIELDFLOW_HANDHELD_ONLY=ON "${launcher[@]}")
  [ -n "${FIELDFLOW_PACKAGE_ARM64_BUILD:-}" ] || arm_options+=(-DFIELDFLOW_TESTS=OFF)
  cmake -S . -B "$arm_build" --toolchain cmake/aarch64-linux-gnu.cmake "${arm_options[@]}" >/dev/null
  cmake --build "$arm_build" -j"$(nproc)" --target fieldflow-agent fieldflow_changelog
  # dpkg-shlibdeps finds the arm64 libraries' symbols files through the
  # multiarch packages (libfoo:arm64) that install-cross-deps.sh installed;
  # the cross toolchain's objdump reads the ARM binary.
  (cd "$arm_build" && cpack -G DEB -B "$out/.cpack" >/dev/null)
  mv "$out"/.cpack/*.deb "$out"/
fi
rm -rf "$out/.cpack"

# lintian: every tag that is not overridden (packaging/debian/*/lintian-overrides
# say why each one is) fails the run.
lintian --fail-on error,warning --suppress-tags-from-file /dev/null "$out"/fieldflow-*.deb

bash packaging/check-installed.sh "$out"

echo "packages in $out:"
for deb in "$out"/fieldflow-*.deb; do
  printf '  %-44s %s\n' "$(basename "$deb")" \
    "$(dpkg-deb -f "$deb" Depends | cut -c1-120)"
done
