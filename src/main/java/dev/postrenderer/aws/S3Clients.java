package dev.postrenderer.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the one {@link S3Client} a process uses, with everything explicit so that nothing is
 * discovered at start-up: the region and credentials as Lambda gives them (no profile files, no
 * instance metadata), the JDK's URLConnection HTTP client, and timeouts that leave the SDK room to
 * retry within the function's own timeout.
 */
public final class S3Clients {

    private static final ProfileFile NO_PROFILES = ProfileFile.aggregator().build();

    /** Used when no region is set, as for a local S3. */
    static final String DEFAULT_REGION = "us-east-1";

    private S3Clients() {
    }

    /**
     * A client for the function: {@code AWS_REGION}, the function's credentials (see
     * {@link #functionCredentials()}), and {@code S3_ENDPOINT} (path-style access) for an
     * S3-compatible server. The credentials come the same way whatever the endpoint, so that a
     * local run against S3Mock takes the path the deployed function takes.
     */
    public static S3Client fromEnvironment(Map<String, String> env, ExecutionInterceptor... interceptors) {
        S3ClientBuilder builder = builder(region(env), functionCredentials(), endpoint(env), Duration.ofSeconds(5),
                Duration.ofSeconds(20));
        for (ExecutionInterceptor interceptor : interceptors) {
            builder.overrideConfiguration(config -> config.addExecutionInterceptor(interceptor));
        }
        return builder.build();
    }

    /**
     * The credentials Lambda gives a function, and nothing else: the environment variables
     * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}) of an
     * on-demand function, then the container-credentials endpoint
     * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}),
     * which is how the Java runtime gives them to a function restored by SnapStart. No profile
     * files, no instance metadata: the default chain would look for both on every cold start.
     */
    public static AwsCredentialsProvider functionCredentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(),
                        ContainerCredentialsProvider.builder().build())
                .build();
    }

    /**
     * A client for the command line: as {@link #fromEnvironment}, except that a local
     * {@code S3_ENDPOINT} with no credentials in the environment gets placeholder ones, since an
     * S3-compatible server on this machine accepts any.
     */
    public static S3Client forCommandLine(Map<String, String> env) {
        Optional<URI> endpoint = endpoint(env);
        if (endpoint.isPresent() && !env.containsKey("AWS_ACCESS_KEY_ID")) {
            return builder(region(env), StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                    endpoint, Duration.ofSeconds(5), Duration.ofSeconds(20)).build();
        }
        return fromEnvironment(env);
    }

    /** A client for an S3-compatible server at {@code endpoint}, with short timeouts, for tests and local runs. */
    public static S3Client local(URI endpoint) {
        return localBuilder(endpoint).build();
    }

    /** The builder of {@link #local(URI)}, for a caller that adds to it (a request interceptor, say). */
    public static S3ClientBuilder localBuilder(URI endpoint) {
        return builder(Region.of(DEFAULT_REGION), StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                Optional.of(endpoint), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    private static Region region(Map<String, String> env) {
        return Region.of(Optional.ofNullable(env.get("AWS_REGION")).filter(s -> !s.isBlank()).orElse(DEFAULT_REGION));
    }

    private static Optional<URI> endpoint(Map<String, String> env) {
        return Optional.ofNullable(env.get("S3_ENDPOINT")).filter(s -> !s.isBlank()).map(URI::create);
    }

    private static S3ClientBuilder builder(Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint,
                                           Duration attemptTimeout, Duration callTimeout) {
        S3ClientBuilder builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(attemptTimeout)
                        .build())
                .overrideConfiguration(config -> config
                        // every setting is explicit: no ~/.aws/config or credentials file is read
                        .defaultProfileFile(NO_PROFILES)
                        .defaultProfileFileSupplier(() -> NO_PROFILES)
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(callTimeout));
        endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder;
    }
}
