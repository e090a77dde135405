// Turns bench/run.sh's raw figures into the table of README.md's Performance section and
// target/bench/results.json. usage: node bench/report.mjs RAW_FILE RESULTS_JSON
import fs from 'node:fs';

const [rawFile, resultsFile] = process.argv.slice(2);
const raw = Object.fromEntries(fs.readFileSync(rawFile, 'utf8').trim().split('\n')
  .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const num = (key) => (raw[key] === undefined ? undefined : Number(raw[key]));
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);

const rows = [
  ['warm: full pipeline ÷ bare commonmark throughput', ratio(num('warm.full.posts_per_s'), num('warm.bare.posts_per_s')), '≥ 0.80', (v) => v >= 0.8,
    `${raw['warm.full.posts_per_s']} vs ${raw['warm.bare.posts_per_s']} posts/s`],
  ['warm: full pipeline ÷ Node.js peer throughput', ratio(num('warm.full.posts_per_s'), num('warm.node.posts_per_s')), '≥ 2.5', (v) => v >= 2.5,
    `${raw['warm.full.posts_per_s']} vs ${raw['warm.node.posts_per_s']} posts/s`],
  ['cold: Init + Duration ÷ Node.js peer, a post added to the example site, same Runtime API', ratio(num('cold.java.total_ms'), num('cold.node.total_ms')), '≤ 2.0', (v) => v <= 2.0,
    `${raw['cold.java.total_ms']} ms (init ${raw['cold.java.init_ms']} + ${raw['cold.java.duration_ms']}) vs ${raw['cold.node.total_ms']} ms (init ${raw['cold.node.init_ms']} + ${raw['cold.node.duration_ms']}), medians`],
  ['cold: classes loaded until the first response', num('cold.java.classes_loaded'), '≤ 4,000', (v) => v <= 4000, `JVM-wide, runtime client included (${raw['cold.java.runtime']})`],
  ['bulk, 5,000 posts: render wall time ÷ Hugo', ratio(num('bulk.5000.java.ms'), num('bulk.5000.hugo.ms')), 'none', () => undefined,
    `${raw['bulk.5000.java.ms']} vs ${raw['bulk.5000.hugo.ms']} ms (Node.js peer ${raw['bulk.5000.node.ms']} ms)`],
  ['bulk, 500 posts (a third with raw HTML): bin/post-renderer render ÷ Hugo', ratio(num('bulk.500.java.ms'), num('bulk.500.hugo.ms')), '≤ 1.2', (v) => v <= 1.2,
    `${raw['bulk.500.java.ms']} vs ${raw['bulk.500.hugo.ms']} ms (Node.js peer ${raw['bulk.500.node.ms']} ms)`],
  ['128 MB function: seed post invoke under Lambda\'s 128 MB JVM limits', raw['cold.java.128mb'], 'succeeds', (v) => v === 'succeeds',
    raw['cold.java.128mb_max_memory_mb'] ? `Max Memory Used ${raw['cold.java.128mb_max_memory_mb']} MB` : ''],
  ['code: highlighted ÷ bare fences throughput, 100 code-heavy posts', ratio(num('code.highlighted.posts_per_s'), num('code.plain.posts_per_s')), 'none', () => undefined,
    `${raw['code.highlighted.posts_per_s']} vs ${raw['code.plain.posts_per_s']} posts/s (eight 30-line blocks a post)`],
  ['deployment zip', num('zip_bytes') / 1e6, '≤ 9.25 MB', (v) => v <= 9.25, `${raw['zip_bytes']} bytes`],
];

const format = (v) => (v === undefined || Number.isNaN(v) ? 'not run' : typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : v);
console.log(`\n${raw.date} · ${raw.machine} · ${raw.jdk} · node ${raw.node} · hugo ${raw.hugo} · ${raw.seconds} s\n`);
console.log('| measure | result | target | met | detail |');
console.log('|---|---|---|---|---|');
const results = [];
for (const [measure, value, target, met, detail] of rows) {
  const ok = value === undefined || Number.isNaN(value) ? undefined : met(value);
  const ran = !(value === undefined || Number.isNaN(value));
  console.log(`| ${measure} | ${format(value)} | ${target} | ${ok === undefined ? '–' : ok ? 'yes' : 'no'} | ${ran ? detail : ''} |`);
  results.push({ measure, value: value ?? null, target, met: ok ?? null, detail });
}
const sizes = [128, 256, 512].filter((size) => raw[`memory.5000.${size}.max_memory_mb`] !== undefined);
if (sizes.length > 0) {
  console.log('\nMemorySize: the seed post added to a site of 5,000 posts, one cold invoke each\n');
  console.log('| memory size | Max Memory Used | Duration |');
  console.log('|---|---|---|');
  for (const size of sizes) {
    const used = raw[`memory.5000.${size}.max_memory_mb`];
    console.log(`| ${size} MB | ${used === 'exceeded' ? 'exceeded: the runtime was stopped' : `${used} MB`} | ${raw[`memory.5000.${size}.duration_ms`] ?? '–'} ms |`);
  }
}
if (raw['priming.without.init_ms'] !== undefined) {
  console.log('\nPriming in an on-demand init (a fresh JVM with Lambda\'s flags, medians)\n');
  console.log('| | Init | first request | total |');
  console.log('|---|---|---|---|');
  for (const mode of ['without', 'with']) {
    const init = num(`priming.${mode}.init_ms`);
    const first = num(`priming.${mode}.first_request_ms`);
    console.log(`| ${mode} priming | ${init} ms | ${first} ms | ${init + first} ms |`);
  }
}
fs.writeFileSync(resultsFile, JSON.stringify({ ...raw, results }, null, 2) + '\n');
console.log(`\nwritten: ${resultsFile}`);
