/**
 * The site around the posts: its state (the root and its parts), how listings are cut into pages
 * and edited, and every page derived from them (front page, archive and tag pages, Atom feed,
 * sitemap index and sitemaps, 404 page, robots.txt). Pure: no I/O, no AWS.
 */
package dev.postrenderer.site;
