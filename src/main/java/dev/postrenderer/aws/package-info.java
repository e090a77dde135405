/**
 * The AWS adapters: the Lambda handler that turns S3 events into {@link
 * dev.postrenderer.publish.Publisher} calls, and the S3 implementation of the object store port.
 * No logic lives here that the core or the use case could hold.
 */
package dev.postrenderer.aws;
