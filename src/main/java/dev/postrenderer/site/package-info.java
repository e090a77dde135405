/**
 * The site around the posts: the manifest of published posts, and everything derived from it
 * (front page, tag pages, Atom feed, sitemap, 404 page, robots.txt). Pure: no I/O, no AWS.
 */
package dev.postrenderer.site;
