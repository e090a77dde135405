// The Node.js peer's page renderer: gray-matter for front matter, markdown-it for the body, and a
// head and layout equivalent to post-renderer's (title, description, canonical, Open Graph,
// Twitter, JSON-LD, the same inline stylesheet).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';

const here = path.dirname(fileURLToPath(import.meta.url));
const styles = fs.readFileSync(path.join(here, '../../../src/main/resources/layouts/style.css'), 'utf8');
// raw HTML passed through, as post-renderer keeps it (sanitised) and Hugo here does
const md = new MarkdownIt({ html: true, linkify: true });
// gray-matter caches results by input unless options are given: give some, so every post is parsed
const NO_CACHE = { excerpt: false };

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const json = (value) => JSON.stringify(value).replace(/[<>&']/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function pagePath(key) {
  return key.replace(/\.(md|markdown)$/i, '/');
}

export function parse(text) {
  return matter(text, NO_CACHE);
}

export function render(key, text, site) {
  const { data, content } = parse(text);
  const body = md.render(content);
  const title = data.title || path.basename(key).replace(/\.md$/, '');
  const description = data.description || '';
  const url = `${site.url}/${encodeURI(pagePath(key))}`;
  const image = data.image && (data.image.src || data.image);
  const tags = Array.isArray(data.tags) ? data.tags : [];
  const meta = [
    ['name', 'description', description], ['property', 'og:type', 'article'], ['property', 'og:title', title],
    ['property', 'og:description', description], ['property', 'og:url', url], ['property', 'og:site_name', site.name],
    ...(image ? [['property', 'og:image', site.url + '/' + String(image).replace(/^\//, '')]] : []),
    ['name', 'twitter:card', image ? 'summary_large_image' : 'summary'], ['name', 'twitter:title', title],
    ...(data.date ? [['property', 'article:published_time', new Date(data.date).toISOString()]] : []),
    ...tags.map((tag) => ['property', 'article:tag', tag]),
  ];
  const ld = { '@context': 'https://schema.org', '@type': 'BlogPosting', headline: title, description, url,
    datePublished: data.date ? new Date(data.date).toISOString() : undefined, keywords: tags.join(', ') };
  return `<!DOCTYPE html>
<html lang="${escape(data.lang || 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="canonical" href="${escape(url)}">
${meta.map(([a, k, v]) => `<meta ${a}="${k}" content="${escape(v)}">`).join('\n')}
<script type="application/ld+json">${json(ld)}</script>
<style>
${styles}</style>
</head>
<body>
<header class="site-header"><a class="site-name" href="../../">${escape(site.name)}</a></header>
<main id="content"><article class="post">
${body}
</article></main>
<footer class="site-footer"><p>${escape(site.name)}</p></footer>
</body>
</html>
`;
}
