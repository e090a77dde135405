/**
 * The use case: what happens to a source key when it is created or removed. {@link
 * dev.postrenderer.publish.Publisher} decides; it reaches storage only through the
 * {@link dev.postrenderer.publish.ObjectStore} port, which the S3 and filesystem adapters
 * implement.
 */
package dev.postrenderer.publish;
