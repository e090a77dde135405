#!/usr/bin/env bash
# Lighthouse 12 (mobile, its default) on the example site as `dev` serves it, with the deployed
# site's headers: the front page, a post with images and a tag page. Prints each page's scores and
# fails if accessibility is under 100, an SEO audit fails (but robots.txt, see README), or an image
# is unsized, oversized for its slot or the lazily-loaded largest paint.
#
#   mvn -q -DskipTests package && bench/lighthouse.sh
#
# Needs Node.js 20 and Chromium (apt-get install chromium); installs Lighthouse with npm ci.
# Reports go to target/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/lighthouse
mkdir -p "$out"
[ -f target/post-renderer.jar ] || { echo "build first: mvn -DskipTests package" >&2; exit 2; }
[ -d bench/lighthouse/node_modules ] || (cd bench/lighthouse && npm ci --no-audit --no-fund --silent)
chromium=${CHROME_PATH:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "Lighthouse needs Chromium: apt-get install chromium" >&2; exit 2; }

port=${LIGHTHOUSE_PORT:-8093}
bin/post-renderer dev examples/site --port "$port" --site-name "Example Blog" \
  --site-description "Notes on publishing a blog from a bucket: markdown in, pages out." >"$out/dev.log" 2>&1 &
dev=$!
trap 'kill "$dev" 2>/dev/null || true; wait "$dev" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://localhost:$port/" 2>/dev/null && break
  kill -0 "$dev" 2>/dev/null || { cat "$out/dev.log" >&2; exit 1; }
  sleep 1
done

reports=()
for page in "" posts/getting-started/ tags/serverless/; do
  name=${page//\//-}; name=${name%-}; name=${name:-front}
  CHROME_PATH=$chromium bench/lighthouse/node_modules/.bin/lighthouse "http://localhost:$port/$page" --quiet \
    --output=json --output-path="$out/$name.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
  reports+=("$out/$name.json")
done
node bench/lighthouse/report.mjs "${reports[@]}" | tee "$out/summary.txt"
