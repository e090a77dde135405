package dev.postrenderer.aws;

import dev.postrenderer.publish.ContentHash;
import dev.postrenderer.publish.ObjectInfo;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import dev.postrenderer.publish.SourceChange;
import dev.postrenderer.publish.StoreException;
import dev.postrenderer.publish.StoredObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3 bucket as an {@link ObjectStore}. Objects are written with their content type,
 * cache control and user metadata and no ACL (the buckets own their objects); assets are copied
 * server-side. A missing object is an empty result; every other S3 or network failure, after
 * the SDK's own retries, is a {@link StoreException}, which the handler lets Lambda retry.
 * Thread-safe, as {@link S3Client} is.
 */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3 == null");
        this.bucket = Objects.requireNonNull(bucket, "bucket == null");
    }

    /** The bucket this store reads and writes. */
    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return read(key, GetObjectRequest.builder().bucket(bucket).key(key).build());
    }

    @Override
    public Optional<StoredObject> get(String key, int limit) {
        return read(key, GetObjectRequest.builder().bucket(bucket).key(key).range("bytes=0-" + limit).build());
    }

    private Optional<StoredObject> read(String key, GetObjectRequest request) {
        return call(key, () -> {
            try {
                ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(request);
                GetObjectResponse response = bytes.response();
                byte[] content = bytes.asByteArrayUnsafe();
                return Optional.of(new StoredObject(info(key, content.length, response.eTag(), response.metadata()),
                        content));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 416) {
                    // a range request on an empty object
                    return Optional.of(new StoredObject(info(key, 0, null, Map.of()), new byte[0]));
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, int length) {
        if (length == 0) {
            return head(key).map(info -> new byte[0]);
        }
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1)).build();
        return read(key, request).map(StoredObject::content);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return call(key, () -> {
            try {
                HeadObjectResponse response = s3.headObject(b -> b.bucket(bucket).key(key));
                return Optional.of(info(key, response.contentLength(), response.eTag(), response.metadata()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public void put(String key, byte[] content, PutOptions options) {
        call(key, () -> s3.putObject(request(key, content, options).build(), RequestBody.fromBytes(content)));
    }

    @Override
    public Optional<String> put(String key, byte[] content, PutOptions options, Precondition precondition) {
        PutObjectRequest.Builder request = request(key, content, options);
        if (precondition instanceof Precondition.Matching matching) {
            request.ifMatch("\"" + matching.etag() + "\"");
        } else {
            request.ifNoneMatch("*");
        }
        return call(key, () -> {
            try {
                return Optional.of(SourceChange.unquoted(s3.putObject(request.build(), RequestBody.fromBytes(content))
                        .eTag()));
            } catch (S3Exception e) {
                // 412: the precondition failed; 409: a concurrent conditional write won;
                // 404: If-Match on an object that is not there (any more)
                if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public void delete(String key) {
        call(key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public boolean delete(String key, String etag) {
        return call(key, () -> {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch("\"" + etag + "\""));
                return true;
            } catch (NoSuchKeyException e) {
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return true;
                }
                // 412: another object is there now
                if (e.statusCode() == 412) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += 1000) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + 1000)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            call(batch.get(0).key(), () -> s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch)
                    .quiet(true))));
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return call(prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents().stream()
                .map(object -> info(object))
                .toList());
    }

    @Override
    public List<ObjectInfo> listFolder(String folder) {
        return call(folder, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder).delimiter("/"))
                .contents().stream()
                .map(object -> info(object))
                .toList());
    }

    @Override
    public boolean copyTo(String key, ObjectStore target, PutOptions options) {
        if (!(target instanceof S3ObjectStore other) || other.s3 != s3) {
            return ObjectStore.super.copyTo(key, target, options);
        }
        CopyObjectRequest request = CopyObjectRequest.builder()
                .sourceBucket(bucket).sourceKey(key)
                .destinationBucket(other.bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType(options.contentType())
                .cacheControl(options.cacheControl().orElse(null))
                .metadata(options.metadata())
                .build();
        return call(key, () -> {
            try {
                s3.copyObject(request);
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    private PutObjectRequest.Builder request(String key, byte[] content, PutOptions options) {
        Map<String, String> metadata = new java.util.HashMap<>(options.metadata());
        metadata.put(ContentHash.METADATA, ContentHash.of(content));
        return PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType(options.contentType())
                .cacheControl(options.cacheControl().orElse(null))
                .metadata(metadata);
    }

    private <T> T call(String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new StoreException(key, "s3://" + bucket + ": " + e.getMessage(), e);
        }
    }

    private static ObjectInfo info(String key, long size, String etag, Map<String, String> metadata) {
        return new ObjectInfo(key, size, Optional.ofNullable(etag).map(SourceChange::unquoted), metadata);
    }

    private static ObjectInfo info(S3Object object) {
        return info(object.key(), object.size(), object.eTag(), Map.of());
    }
}
