package dev.postrenderer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.ObjectStoreContract;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The store most publisher tests run on keeps S3's contract, with either kind of entity tags. */
class MemoryStoreTest {

    @Nested
    class WithMd5EntityTags extends ObjectStoreContract {
        @Override
        protected ObjectStore store() {
            return new MemoryStore(MemoryStore.Etags.MD5);
        }

        @Test
        void anEntityTagIsTheMd5OfTheBytes() {
            ObjectStore store = store();
            byte[] content = "x".getBytes(UTF_8);
            assertThat(store.put("k", content, new PutOptions("text/plain", Optional.empty(), Map.of()),
                    Precondition.ABSENT)).contains(ETags.of(content));
        }
    }

    @Nested
    class WithOpaqueEntityTags extends ObjectStoreContract {
        @Override
        protected ObjectStore store() {
            return new MemoryStore(MemoryStore.Etags.OPAQUE);
        }

        @Test
        void anEntityTagIsNotTheMd5OfTheBytes() {
            ObjectStore store = store();
            byte[] content = "x".getBytes(UTF_8);
            assertThat(store.put("k", content, new PutOptions("text/plain", Optional.empty(), Map.of()),
                    Precondition.ABSENT).orElseThrow()).isNotEqualTo(ETags.of(content));
        }
    }
}
