/**
 * Posts as authors write them: the source key mapping, the YAML front matter and the markdown
 * body. Pure: no I/O, no AWS. {@link dev.postrenderer.post.PostParser} is the entry point and
 * treats every input as untrusted.
 */
package dev.postrenderer.post;
