/**
 * Adapters for a laptop: the command line, and a folder used as an object store. Nothing here
 * runs on Lambda.
 */
package dev.postrenderer.local;
