/**
 * Images: the facts a page needs about a published image (format, displayed size, EXIF
 * orientation), read from its header without decoding it, and the resized, upright,
 * metadata-free variants readers download instead of the original. Pure: bytes in, records and
 * bytes out; nothing here knows where images are stored.
 */
package dev.postrenderer.image;
