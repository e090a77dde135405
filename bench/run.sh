#!/usr/bin/env bash
# The benchmarks: post-renderer beside a Node.js peer (markdown-it + gray-matter +
# @aws-sdk/client-s3) and Debian's Hugo, side by side on this machine, in one run.
#
#   mvn -DskipTests package && bench/run.sh [warm|cold|priming|bulk|code|all]
#
# The cold job is what an author's typical update costs: the seed post added to the 8-post example
# site, restored before every run; both functions run under `invoke`, as template.yaml says.
# It installs its own peers (npm ci in bench/peers/node; apt-get install hugo when run as root),
# prints a table and writes target/bench/results.json. See README.md, "Performance".
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
out=target/bench
raw=$out/raw.txt
mkdir -p "$out"

[ -f target/post-renderer.jar ] && [ -f target/bench-classpath.txt ] && [ -f target/post-renderer-lambda.zip ] || {
  echo "build first: mvn -DskipTests package" >&2; exit 2; }
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
# the README's command: the launcher with a batch job's JVM settings and a class-data archive
cli=(bin/post-renderer)

s3mock=
# the local S3 goes with the script, however it ends
trap '[ -z "$s3mock" ] || kill "$s3mock" 2>/dev/null || true' EXIT

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
record() { echo "$1=$2" >> "$raw"; echo "  $1 = $2"; }

peers() {
  command -v node >/dev/null || { echo "the Node.js peer needs node and npm" >&2; exit 2; }
  [ -d bench/peers/node/node_modules ] || (cd bench/peers/node && npm ci --no-audit --no-fund --silent)
  if ! command -v hugo >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hugo >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hugo >/dev/null; }
    else
      echo "the bulk benchmark needs Debian's hugo: apt-get install hugo" >&2; exit 2
    fi
  fi
}

corpora() {
  for n in 500 5000; do
    [ -d "$out/corpus-$n/posts" ] || java -cp "$cp" dev.postrenderer.bench.CorpusGenerator "$out/corpus-$n" "$n"
  done
}

warm() {
  echo "warm: JMH, one JVM: bare commonmark vs the full pipeline; the Node.js peer"
  java -cp "$cp" org.openjdk.jmh.Main PipelineBenchmark -f 1 -wi 3 -w 5s -i 5 -r 5s -t 1 \
    -rf json -rff "$out/jmh.json" > "$out/jmh.txt"
  record warm.bare.posts_per_s "$(node -e 'const r=require(process.argv[1]);console.log(r.find(b=>b.benchmark.endsWith("bareCommonmark")).primaryMetric.score.toFixed(0))' "$PWD/$out/jmh.json")"
  record warm.full.posts_per_s "$(node -e 'const r=require(process.argv[1]);console.log(r.find(b=>b.benchmark.endsWith("fullPipeline")).primaryMetric.score.toFixed(0))' "$PWD/$out/jmh.json")"
  record warm.node.posts_per_s "$(node bench/peers/node/warm.mjs "$out/corpus-500" 20 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).postsPerSecond.toFixed(0)))')"
}

code() {
  echo "code: JMH, one JVM: 100 code-heavy posts (eight 30-line blocks each) highlighted, and with bare fences"
  java -cp "$cp" org.openjdk.jmh.Main CodeHighlightBenchmark -f 2 -wi 5 -w 3s -i 5 -r 3s -t 1 \
    -rf json -rff "$out/jmh-code.json" > "$out/jmh-code.txt"
  record code.highlighted.posts_per_s "$(node -e 'const r=require(process.argv[1]);console.log(r.find(b=>b.benchmark.endsWith(".highlighted")).primaryMetric.score.toFixed(0))' "$PWD/$out/jmh-code.json")"
  record code.plain.posts_per_s "$(node -e 'const r=require(process.argv[1]);console.log(r.find(b=>b.benchmark.endsWith(".plain")).primaryMetric.score.toFixed(0))' "$PWD/$out/jmh-code.json")"
}

# S3Mock on a free port, with empty source and site buckets; sets endpoint
start_s3() {
  local port; port=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
  rm -rf "$out/s3"
  java -jar target/tools/s3mock-5.2.0-exec.jar --http.port="$port" --server.port=0 --logging.level.root=WARN \
    --com.adobe.testing.s3mock.store.initialBuckets=source,site --com.adobe.testing.s3mock.store.root="$out/s3" \
    > "$out/s3mock.log" 2>&1 &
  s3mock=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
  endpoint="http://127.0.0.1:$port"
}

stop_s3() {
  kill "$s3mock" && wait "$s3mock" 2>/dev/null || true
  s3mock=
}

cold() {
  echo "cold: $runs cold invocations each, the seed post added to the 8-post example site (restored before"
  echo "      every run), under the same local Runtime API, against S3Mock; Java as template.yaml says"
  start_s3
  # the function's variables as sam local invoke --env-vars would set them (events/env.json names port 9090)
  local env="$out/env.json"
  printf '{"PublishFunction":{"S3_ENDPOINT":"%s","SITE_BUCKET":"site","SITE_URL":"https://blog.example.com","SITE_NAME":"Blog"}}\n' \
    "$endpoint" > "$env"
  restore() { java -cp "$cp" dev.postrenderer.bench.BenchBuckets restore "$endpoint"; }
  # on demand: the cold start of $LATEST, beside the Node.js peer's (the deployed version is restored from a
  # SnapStart snapshot instead, whose restore this machine cannot measure)
  invoke() { "${cli[@]}" invoke --on-demand --event events/s3-put.json --env-vars "$env" "$@"; }
  local java_total=() node_total=() java_init=() java_duration=() node_init=() node_duration=()
  for i in $(seq 1 "$runs"); do
    restore
    report=$(invoke | grep '^REPORT')
    java_init+=("$(echo "$report" | sed -E 's/.*Init Duration: ([0-9.]+) ms.*/\1/')")
    java_duration+=("$(echo "$report" | sed -E 's/.*\tDuration: ([0-9.]+) ms.*/\1/')")
    restore
    report=$(invoke --runtime-command "node bench/peers/node/bootstrap.mjs" | grep '^REPORT')
    node_init+=("$(echo "$report" | sed -E 's/.*Init Duration: ([0-9.]+) ms.*/\1/')")
    node_duration+=("$(echo "$report" | sed -E 's/.*\tDuration: ([0-9.]+) ms.*/\1/')")
  done
  record cold.java.runtime "$(awk '/^ *Runtime: java/ {print $2; exit}' template.yaml)"
  record cold.java.init_ms "$(printf '%s\n' "${java_init[@]}" | median)"
  record cold.java.duration_ms "$(printf '%s\n' "${java_duration[@]}" | median)"
  record cold.node.init_ms "$(printf '%s\n' "${node_init[@]}" | median)"
  record cold.node.duration_ms "$(printf '%s\n' "${node_duration[@]}" | median)"
  for i in $(seq 1 "$runs"); do
    awk -v a="${java_init[$((i-1))]}" -v b="${java_duration[$((i-1))]}" 'BEGIN {print a + b}' >> "$out/cold-java-total.txt"
    awk -v a="${node_init[$((i-1))]}" -v b="${node_duration[$((i-1))]}" 'BEGIN {print a + b}' >> "$out/cold-node-total.txt"
  done
  record cold.java.total_ms "$(median < "$out/cold-java-total.txt")"
  record cold.node.total_ms "$(median < "$out/cold-node-total.txt")"
  rm -f "$out/cold-java-total.txt" "$out/cold-node-total.txt"
  restore
  rm -f "$out/classes.log"
  invoke --jvm-option="-Xlog:class+load=info:file=$PWD/$out/classes.log" > /dev/null
  record cold.java.classes_loaded "$(wc -l < "$out/classes.log")"
  restore
  if invoke --memory 128 > "$out/invoke-128.txt"; then
    record cold.java.128mb "succeeds"
  else
    record cold.java.128mb "fails"
  fi
  record cold.java.128mb_max_memory_mb "$(grep '^REPORT' "$out/invoke-128.txt" | sed -E 's/.*Max Memory Used: ([0-9]+) MB.*/\1/')"
  # the memory size: the seed post added to a site of 5,000 posts (its state, listings, sitemap and feed)
  "${cli[@]}" render "$out/corpus-5000" --out "$out/site-5000" --site-url https://blog.example.com > /dev/null
  for memory in 128 256 512; do
    restore
    java -cp "$cp" dev.postrenderer.bench.BenchBuckets site "$endpoint" "$out/site-5000"
    if report=$(invoke --memory "$memory" | grep '^REPORT'); then
      record "memory.5000.$memory.max_memory_mb" "$(echo "$report" | sed -E 's/.*Max Memory Used: ([0-9]+) MB.*/\1/')"
      record "memory.5000.$memory.duration_ms" "$(echo "$report" | sed -E 's/.*\tDuration: ([0-9.]+) ms.*/\1/')"
    else
      record "memory.5000.$memory.max_memory_mb" "exceeded"
    fi
  done
  stop_s3
}

priming() {
  echo "priming: on-demand init with and without priming, the seed post added to the restored example site"
  local java25; java25=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1 || true)
  java25=${java25:-java}
  start_s3
  local init=() first=() primed_init=() primed_first=()
  for _ in $(seq 1 "$runs"); do
    for mode in cold prime; do
      java -cp "$cp" dev.postrenderer.bench.BenchBuckets restore "$endpoint"
      # Lambda's JVM flags (see README, Memory) for 512 MB, the template's size
      read -r _ i f < <(env -i PATH="$PATH" S3_ENDPOINT="$endpoint" SITE_BUCKET=site SITE_URL=https://blog.example.com \
        SITE_NAME=Blog AWS_REGION=us-east-1 "$java25" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
        -XX:MaxHeapSize=445645k -cp "target/test-classes:target/classes:target/lib/*" \
        dev.postrenderer.aws.PrimingCost events/s3-put.json "$mode" | grep '^PRIMING ')
      if [ "$mode" = cold ]; then init+=("$i"); first+=("$f"); else primed_init+=("$i"); primed_first+=("$f"); fi
    done
  done
  record priming.without.init_ms "$(printf '%s\n' "${init[@]}" | median)"
  record priming.without.first_request_ms "$(printf '%s\n' "${first[@]}" | median)"
  record priming.with.init_ms "$(printf '%s\n' "${primed_init[@]}" | median)"
  record priming.with.first_request_ms "$(printf '%s\n' "${primed_first[@]}" | median)"
  stop_s3
}

bulk() {
  echo "bulk: render vs hugo vs the Node.js peer, best of 3, same posts, equivalent templates"
  local hugo_site="$out/hugo-site"
  for n in 500 5000; do
    local corpus="$out/corpus-$n" times
    rm -rf "$hugo_site" && mkdir -p "$hugo_site/content" "$hugo_site/static"
    cp -r bench/peers/hugo/config.toml bench/peers/hugo/layouts "$hugo_site/"
    cp src/main/resources/layouts/style.css "$hugo_site/style.css"
    cp -r "$corpus/posts" "$hugo_site/content/posts" && cp -r "$corpus/img" "$hugo_site/static/img"
    for tool in java hugo node; do
      times=()
      for _ in 1 2 3; do
        rm -rf "$out/site-$tool"
        local start; start=$(now_ms)
        case $tool in
          java) "${cli[@]}" render "$corpus" --out "$out/site-$tool" --site-url https://bench.example.com > /dev/null ;;
          hugo) hugo --quiet -s "$hugo_site" -d "$PWD/$out/site-$tool" > /dev/null ;;
          node) node bench/peers/node/bulk.mjs "$corpus" "$out/site-$tool" > /dev/null ;;
        esac
        times+=($(( $(now_ms) - start )))
      done
      record "bulk.$n.$tool.ms" "$(printf '%s\n' "${times[@]}" | sort -n | head -1)"
    done
  done
}

runs=${COLD_RUNS:-10}
: > "$raw"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine=$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "jdk=$(java -version 2>&1 | head -1)"
  echo "node=$(node --version 2>/dev/null || echo none)"
  echo "hugo=$(hugo version 2>/dev/null | cut -d' ' -f2 || echo none)"
  echo "zip_bytes=$(stat -c %s target/post-renderer-lambda.zip)"
} >> "$raw"
started=$(date +%s)
if [ "$mode" != code ]; then  # the code benchmark has no peer and makes its own corpus
  peers
  corpora
fi
case $mode in
  warm) warm ;;
  code) code ;;
  cold) cold ;;
  priming) priming ;;
  bulk) bulk ;;
  all) warm; cold; priming; bulk; code ;;
  *) echo "usage: bench/run.sh [warm|cold|priming|bulk|code|all]" >&2; exit 2 ;;
esac
echo "seconds=$(( $(date +%s) - started ))" >> "$raw"
node bench/report.mjs "$raw" "$out/results.json"
