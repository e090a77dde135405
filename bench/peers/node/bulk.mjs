// The Node.js peer of the bulk benchmark: every post of a folder to its page, and a front page,
// tag pages and a sitemap, written to a folder.
// usage: node bulk.mjs SOURCE_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { pagePath, parse, render } from './render.mjs';

const [source, out] = process.argv.slice(2);
const site = { url: 'https://bench.example.com', name: 'Bench' };
const posts = [];
const dir = path.join(source, 'posts');
for (const name of fs.readdirSync(dir).sort()) {
  const key = 'posts/' + name;
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  const target = path.join(out, pagePath(key), 'index.html');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, render(key, text, site));
  const { data } = parse(text);
  posts.push({ key, title: data.title, date: data.date ? new Date(data.date) : null, tags: data.tags || [] });
}
posts.sort((a, b) => (b.date || 0) - (a.date || 0));
const list = (items) => items.map((p) => `<li><a href="/${encodeURI(pagePath(p.key))}">${p.title}</a></li>`).join('\n');
fs.writeFileSync(path.join(out, 'index.html'), `<!DOCTYPE html><html lang="en"><title>${site.name}</title><ol>${list(posts)}</ol></html>`);
const tags = new Map();
posts.forEach((p) => p.tags.forEach((t) => tags.set(t, [...(tags.get(t) || []), p])));
for (const [tag, tagged] of tags) {
  fs.mkdirSync(path.join(out, 'tags', tag), { recursive: true });
  fs.writeFileSync(path.join(out, 'tags', tag, 'index.html'), `<!DOCTYPE html><html lang="en"><title>${tag}</title><ol>${list(tagged)}</ol></html>`);
}
fs.writeFileSync(path.join(out, 'sitemap.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${posts.map((p) => `<url><loc>${site.url}/${encodeURI(pagePath(p.key))}</loc></url>`).join('')}</urlset>\n`);
console.log(JSON.stringify({ posts: posts.length }));
