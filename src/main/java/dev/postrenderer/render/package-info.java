/**
 * Rendering: markdown to safe HTML, the derived {@code <head>}, and the page layout. Pure: strings
 * and records in, strings and records out. {@link dev.postrenderer.render.PageRenderer} is the
 * entry point; it is immutable and thread-safe, so build it once per process.
 */
package dev.postrenderer.render;
