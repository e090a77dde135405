package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

@Isolated
class CredentialsEndpointTest {

    private static final CredentialsEndpoint.Credentials HOST = new CredentialsEndpoint.Credentials("AKIAHOST",
            "host-secret", Optional.of("host-session"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theSdksContainerProviderGetsTheCredentialsWithTheToken() {
        try (CredentialsEndpoint endpoint = new CredentialsEndpoint(HOST, Clock.systemUTC())) {
            System.setProperty("aws.containerCredentialsFullUri", endpoint.uri());
            System.setProperty("aws.containerAuthorizationToken", endpoint.token());
            try {
                AwsCredentials credentials = ContainerCredentialsProvider.builder().build().resolveCredentials();

                assertThat(credentials.accessKeyId()).isEqualTo("AKIAHOST");
                assertThat(credentials.secretAccessKey()).isEqualTo("host-secret");
                assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
                assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("host-session");
                assertThat(endpoint.served()).isEqualTo(1);
            } finally {
                System.clearProperty("aws.containerCredentialsFullUri");
                System.clearProperty("aws.containerAuthorizationToken");
            }
        }
    }

    @Test
    void aRequestWithoutTheTokenIsRefused() throws Exception {
        try (CredentialsEndpoint endpoint = new CredentialsEndpoint(HOST, Clock.systemUTC())) {
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.uri())).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.uri()))
                    .header("Authorization", endpoint.token() + "x").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(none.statusCode()).isEqualTo(403);
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(none.body() + wrong.body()).doesNotContain("host-secret");
            assertThat(endpoint.refused()).isEqualTo(2);
            assertThat(endpoint.served()).isZero();
        }
    }

    @Test
    void servedCredentialsExpireAnHourFromNowSoTheSdkAsksAgain() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
        try (CredentialsEndpoint endpoint = new CredentialsEndpoint(new CredentialsEndpoint.Credentials("AKIA", "s",
                Optional.empty()), clock)) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.uri()))
                    .header("Authorization", endpoint.token()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"AccessKeyId\":\"AKIA\",\"SecretAccessKey\":\"s\","
                    + "\"Expiration\":\"2026-12-04T11:00:00Z\"}");
        }
    }
}
