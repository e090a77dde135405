package dev.postrenderer.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

/**
 * The lease a batch takes after losing a commit ({@code _site/lease.json}: its holder and when it
 * expires), so that contending batches take turns rather than redo their work over and over. It only
 * spares effort: commits stay conditional writes of the root, so a holder whose lease expired cannot
 * overwrite a newer state. Taken with {@code If-None-Match: *}, taken over from a holder that let it
 * expire with {@code If-Match}, given back with a conditional delete. Thread-safe if its store is.
 */
final class CommitLease {

    /** Where the lease is kept. */
    static final String KEY = "_site/lease.json";
    /** How long a lease holds; a holder that dies is taken over after this. */
    static final long LEASE_MILLIS = 30_000;

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final PutOptions OPTIONS = new PutOptions("application/json", Optional.of("no-store"), Map.of());

    /** A lease held: the entity tag to give it back with. */
    record Held(String etag) {
        Held {
            Objects.requireNonNull(etag, "etag == null");
        }
    }

    private final ObjectStore site;
    private final Clock clock;

    CommitLease(ObjectStore site, Clock clock) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * Takes the lease, waiting for it until {@code deadline} (epoch milliseconds).
     *
     * @return the lease, or empty if it could not be had in time
     */
    Optional<Held> take(long deadline) {
        // unique per holder, drawn now: environments restored from one snapshot share any generator made before it
        String owner = UUID.randomUUID().toString();
        for (int attempt = 1; clock.millis() < deadline; attempt++) {
            byte[] body = body(owner, clock.millis() + LEASE_MILLIS);
            Optional<String> taken = site.put(KEY, body, OPTIONS, Precondition.ABSENT);
            if (taken.isPresent()) {
                return Optional.of(new Held(taken.get()));
            }
            Optional<StoredObject> held = site.get(KEY);
            if (held.isPresent() && expires(held.get().content()).orElse(0) < clock.millis()) {
                Optional<String> takenOver = site.put(KEY, body, OPTIONS,
                        Precondition.unchangedFrom(Optional.of(held.get().info())));
                if (takenOver.isPresent()) {
                    return Optional.of(new Held(takenOver.get()));
                }
            }
            Backoff.pause(Math.min(attempt, 5), KEY);
        }
        return Optional.empty();
    }

    /** Gives a lease back; one taken over meanwhile is left to its new holder. */
    void release(Held lease) {
        site.delete(KEY, lease.etag());
    }

    static byte[] body(String owner, long expires) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("owner", owner);
            json.writeNumberField("expires", expires);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** When a lease expires, in epoch milliseconds; empty for a lease that cannot be read, which counts as expired. */
    static OptionalLong expires(byte[] lease) {
        try (JsonParser json = JSON.createParser(lease)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (name.equals("expires") && value == JsonToken.VALUE_NUMBER_INT) {
                    return OptionalLong.of(json.getLongValue());
                }
                json.skipChildren();
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            // not a lease this class wrote (a torn or foreign object): as good as expired
            return OptionalLong.empty();
        }
    }
}
