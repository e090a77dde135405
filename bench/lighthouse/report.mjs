// Reads Lighthouse JSON reports and prints each page's category scores and the audits the README
// promises: accessibility 100, SEO 100 but for the robots.txt audit (the site's CSP stops
// Lighthouse's own fetch of it; crawlers are not affected), no unsized, oversized or
// lazily-loaded largest images. Exits 1 if a page breaks one of those.
import { readFileSync } from 'node:fs';

const MUST_PASS = ['unsized-images', 'uses-responsive-images', 'lcp-lazy-loaded', 'meta-description', 'label',
  'image-alt', 'color-contrast'];
let failed = false;
for (const file of process.argv.slice(2)) {
  const lhr = JSON.parse(readFileSync(file, 'utf8'));
  const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const seoAudits = lhr.categories.seo.auditRefs.filter((ref) => ref.weight > 0).map((ref) => ref.id);
  const seoFailures = seoAudits.filter((id) => id !== 'robots-txt' && lhr.audits[id].score !== null
    && lhr.audits[id].score < 1);
  const problems = [];
  if (score('accessibility') < 100) {
    const a11y = lhr.categories.accessibility.auditRefs.map((ref) => ref.id)
      .filter((id) => lhr.audits[id].score !== null && lhr.audits[id].score < 1);
    problems.push(`accessibility ${score('accessibility')}: ${a11y.join(', ')}`);
  }
  if (seoFailures.length) problems.push(`SEO audits failing: ${seoFailures.join(', ')}`);
  for (const id of MUST_PASS) {
    const audit = lhr.audits[id];
    if (audit && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'notApplicable') {
      problems.push(`${id}: ${audit.displayValue ?? audit.title}`);
    }
  }
  const lcp = lhr.audits['largest-contentful-paint']?.displayValue ?? '-';
  const cls = lhr.audits['cumulative-layout-shift']?.displayValue ?? '-';
  console.log(`${lhr.finalDisplayedUrl}\n  performance ${score('performance')}  accessibility ${score('accessibility')}`
    + `  best practices ${score('best-practices')}  SEO ${score('seo')} (robots-txt ${lhr.audits['robots-txt'].score === 1 ? 'passes' : 'fails'})`
    + `  LCP ${lcp}  CLS ${cls}`);
  for (const problem of problems) console.log(`  FAIL ${problem}`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
