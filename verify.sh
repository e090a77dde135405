#!/usr/bin/env bash
# The project's test command. It installs what the tests need and this machine lacks (on Debian or
# Ubuntu, with apt-get: Chromium and chromedriver for the browser test, Node.js for the test of the
# CloudFront function, make and unzip for the test that builds as `sam build` does), then builds
# everything and runs every test: mvn -B verify. Java 17+ and Maven 3.8+ are the quick start's
# prerequisites.
#   ./verify.sh --scale            also the full-size runs (-Pscale: 2,000-post load at 64 instances,
#                                  a 20,000-post site, ten stop rounds, three rounds of concurrent invokes)
#   ./verify.sh -Dtest=X           only test class (or pattern) X, unit test or IT alike
# Other arguments go to Maven. Maven's own JVM runs with C1 only (.mvn/jvm.config): javac and the
# plugins finish in two thirds of the time on two cores.
set -euo pipefail
cd "$(dirname "$0")"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v make >/dev/null 2>&1 || need+=(make)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: the tests need ${need[*]}; install them, then run this again" >&2
    exit 1
  fi
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "installing ${need[*]} with apt-get"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

args=()
for arg in "$@"; do
  case "$arg" in
    --scale) args+=(-Pscale) ;;
    -Dtest=*)
      # Surefire runs the unit tests named, Failsafe (which reads it.test) the ITs: an IT needs the
      # package, which Surefire's phase comes before. A side with nothing to run is skipped.
      units=() its=()
      IFS=, read -ra patterns <<< "${arg#-Dtest=}"
      for pattern in "${patterns[@]}"; do
        if [[ ${pattern%%#*} == *IT ]]; then its+=("$pattern"); else units+=("$pattern"); fi
      done
      [ ${#units[@]} -gt 0 ] || units=(NoUnitTestSelected)
      args+=("-Dtest=$(IFS=,; echo "${units[*]}")" -Dsurefire.failIfNoSpecifiedTests=false -Dskip.cpu.budgets=true)
      if [ ${#its[@]} -gt 0 ]; then
        args+=("-Dit.test=$(IFS=,; echo "${its[*]}")" -Dfailsafe.failIfNoSpecifiedTests=false)
      else
        args+=(-DskipITs)
      fi ;;
    *) args+=("$arg") ;;
  esac
done
exec mvn -B verify "${args[@]}"
