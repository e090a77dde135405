package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * What {@code invoke} gives the function before it makes any request: the environment a
 * SnapStart version and {@code $LATEST} get (credentials, variables as {@code sam local invoke}
 * resolves them, a temporary folder of its own), and how it fails when the function cannot start
 * or reach S3. The function's runtime is {@code /usr/bin/env} where only its environment matters.
 */
class InvokeEnvironmentIT {

    @TempDir
    static Path work;

    @Test
    void aFailingFunctionPrintsItsErrorAndExitsWithOne() throws Exception {
        Path unreachable = Files.writeString(work.resolve("unreachable.json"),
                "{\"PublishFunction\": {\"SITE_BUCKET\": \"site\", \"S3_ENDPOINT\": \"http://127.0.0.1:9\"}}");

        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--env-vars", unreachable.toString()), Map.of());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("transient_failure", "TransientFailureException", "REPORT RequestId:");
    }

    @Test
    void aWrongHandlerInACopiedTemplateFailsInvokeNamingIt() throws Exception {
        Path template = Files.writeString(work.resolve("wrong-handler.yaml"), Files.readString(Path.of("template.yaml"))
                .replace("Handler: dev.postrenderer.aws.PublishHandler::handleRequest",
                        "Handler: dev.postrenderer.aws.PublishHandlr::handleRequest"));

        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--env-vars", Path.of("events/env.json").toString(),
                "--template", template.toString()), Map.of());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("dev.postrenderer.aws.PublishHandlr");
    }

    @Test
    void aSnapStartFunctionGetsContainerCredentialsAndNoAccessKeysNorAnyOtherHostVariable() throws Exception {
        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env"),
                Map.of("POST_RENDERER_PROBE", "leaked", "AWS_ACCESS_KEY_ID", "AKIAHOST", "AWS_SECRET_ACCESS_KEY", "s",
                        "AWS_SESSION_TOKEN", "t", "AWS_REGION", "eu-west-1"));

        Map<String, String> env = CliRun.environment(result.output());
        assertThat(env).doesNotContainKeys("POST_RENDERER_PROBE", "HOME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN");
        assertThat(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")).matches("http://127\\.0\\.0\\.1:\\d+/\\S+");
        assertThat(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")).hasSizeGreaterThan(20);
        assertThat(env).containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "1").containsEntry("AWS_REGION", "eu-west-1");
        templateVariables(env);
        // SITE_URL names the distribution, which only the deployed stack has: blank, as sam leaves it, and said so
        assertThat(result.output()).containsPattern("note: SITE_BUCKET, SITE_URL are blank here, as sam local invoke"
                + " leaves them");
    }

    @Test
    void onDemandTheFunctionGetsTheHostsCredentialsAsVariablesAndNoOtherHostVariable() throws Exception {
        Cli.Result result = CliRun.invoke(List.of("--on-demand", "--event", "events/s3-put.json", "--runtime-command",
                "/usr/bin/env"), Map.of("POST_RENDERER_PROBE", "leaked", "AWS_ACCESS_KEY_ID", "AKIAHOST",
                "AWS_REGION", "eu-west-1"));

        Map<String, String> env = CliRun.environment(result.output());
        assertThat(env).doesNotContainKeys("POST_RENDERER_PROBE", "HOME", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        assertThat(env).containsEntry("AWS_ACCESS_KEY_ID", "AKIAHOST").containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        templateVariables(env);
    }

    @Test
    void eachInvocationHasATemporaryFolderOfItsOwnApartFromItsTaskFolder() throws Exception {
        Map<String, String> first = CliRun.environment(CliRun.invoke(List.of("--event", "events/s3-put.json", "--runtime-command",
                "/usr/bin/env"), Map.of()).output());
        Map<String, String> second = CliRun.environment(CliRun.invoke(List.of("--event", "events/s3-put.json", "--runtime-command",
                "/usr/bin/env"), Map.of()).output());

        assertThat(first.get("TMPDIR")).isNotBlank().isNotEqualTo(second.get("TMPDIR"))
                .doesNotStartWith(first.get("LAMBDA_TASK_ROOT"));
        assertThat(Path.of(first.get("TMPDIR"))).as("removed with its invocation").doesNotExist();
    }

    private static void templateVariables(Map<String, String> env) {
        assertThat(env).containsEntry("RAW_HTML", "sanitize").containsEntry("MAX_POST_BYTES", "524288")
                .containsEntry("CACHE_CONTROL", "public, max-age=300").containsEntry("S3_ENDPOINT", "")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
                .containsEntry("AWS_LAMBDA_FUNCTION_HANDLER", "dev.postrenderer.aws.PublishHandler::handleRequest")
                .containsEntry("SITE_URL", "");
    }

    @Test
    void aDeclaredVariableSetInTheShellIsTakenAsSamLocalInvokeTakesIt() throws Exception {
        // samcli/local/lambdafn/env_vars.py resolve(): template value < shell value < --env-vars
        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env"),
                Map.of("RAW_HTML", "escape"));
        assertThat(CliRun.environment(result.output())).containsEntry("RAW_HTML", "escape");

        Path file = Files.writeString(work.resolve("raw-html.json"), "{\"PublishFunction\": {\"RAW_HTML\": \"allow\"}}");
        Cli.Result overridden = CliRun.invoke(List.of("--event", "events/s3-put.json", "--env-vars", file.toString(),
                "--runtime-command", "/usr/bin/env"), Map.of("RAW_HTML", "escape"));
        assertThat(CliRun.environment(overridden.output())).containsEntry("RAW_HTML", "allow");
    }

    @Test
    void anEnvVarsKeyTheTemplateDoesNotDeclareIsReportedAndIgnored() throws Exception {
        Path file = Files.writeString(work.resolve("undeclared.json"),
                "{\"Parameters\": {\"FEATURE_FLAG\": \"on\"}, \"PublishFunction\": {\"NOT_DECLARED\": \"x\","
                        + " \"SITE_NAME\": \"From env-vars\"}}");

        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--env-vars", file.toString(),
                "--runtime-command", "/usr/bin/env"), Map.of());

        assertThat(result.output()).contains("warning: --env-vars sets FEATURE_FLAG, NOT_DECLARED, which PublishFunction"
                + " does not declare in the template; ignored");
        assertThat(CliRun.environment(result.output())).doesNotContainKeys("NOT_DECLARED", "FEATURE_FLAG")
                .containsEntry("SITE_NAME", "From env-vars");
    }

    @Test
    void refsResolveFromParameterOverridesAndDefaults() throws Exception {
        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env",
                "--parameter-overrides", "SiteBucketName=my-site SiteUrl=https://blog.example.org",
                "--parameter-overrides", "ParameterKey=SiteName,ParameterValue=\"My Blog\""), Map.of());

        assertThat(CliRun.environment(result.output())).containsEntry("SITE_BUCKET", "my-site")
                .containsEntry("SITE_URL", "https://blog.example.org").containsEntry("SITE_NAME", "My Blog");

        Cli.Result domain = CliRun.invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env",
                "--parameter-overrides", "DomainName=blog.example.net CertificateArn="
                        + "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"), Map.of());
        assertThat(CliRun.environment(domain.output())).containsEntry("SITE_URL", "https://blog.example.net")
                .containsEntry("SITE_BUCKET", "");

        Cli.Result unknown = CliRun.invoke(List.of("--event", "events/s3-put.json", "--parameter-overrides", "NoSuchParameter=1"),
                Map.of());
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.output()).contains("NoSuchParameter", "does not declare");
    }

    @Test
    void aMissingEventFileOrTemplateIsNamedAndNothingRuns() throws Exception {
        Cli.Result event = CliRun.invoke(List.of("--event", "events/no-such-event.json"), Map.of());
        Cli.Result template = CliRun.invoke(List.of("--event", "events/s3-put.json", "--template",
                "no-such-template.yaml"), Map.of());

        assertThat(event.status()).isEqualTo(2);
        assertThat(event.output()).contains("error: no event file at events/no-such-event.json")
                .doesNotContain("REPORT");
        assertThat(template.status()).isEqualTo(2);
        assertThat(template.output()).contains("error: no template at no-such-template.yaml").doesNotContain("REPORT");
    }
}
