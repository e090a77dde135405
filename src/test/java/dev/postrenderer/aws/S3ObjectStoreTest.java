package dev.postrenderer.aws;

import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.ObjectStoreContract;
import dev.postrenderer.testing.S3MockServer;

/** An S3 bucket (S3Mock's, its conditional writes made atomic as S3's are) keeps the store contract. */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static final S3MockServer S3 = S3MockServer.get();

    @Override
    protected ObjectStore store() {
        return new S3ObjectStore(S3.newClient(), S3.newBucket("contract"));
    }
}
