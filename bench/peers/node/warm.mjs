// Warm throughput of the Node.js peer: posts per second through front matter, markdown, head and
// layout, after a warm-up, over the same corpus as the JMH benchmark.
// usage: node warm.mjs CORPUS_DIR [SECONDS]
import fs from 'node:fs';
import path from 'node:path';
import { render } from './render.mjs';

const dir = path.join(process.argv[2], 'posts');
const seconds = Number(process.argv[3] || 10);
const posts = fs.readdirSync(dir).sort().map((name) => ['posts/' + name, fs.readFileSync(path.join(dir, name), 'utf8')]);
const site = { url: 'https://blog.example.com', name: 'Bench' };
let sink = 0;
const run = (ms) => {
  const end = Date.now() + ms;
  let count = 0;
  for (let i = 0; Date.now() < end; i = (i + 1) % posts.length, count++) {
    sink += render(posts[i][0], posts[i][1], site).length;
  }
  return count;
};
run(seconds * 400);
const started = process.hrtime.bigint();
const count = run(seconds * 1000);
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ postsPerSecond: count / elapsed, sink: sink > 0 }));
