package dev.postrenderer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What matters in template.yaml, read as CloudFormation reads it (short-form intrinsics mapped to long form). */
class SamTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMA = Path.of("src/test/resources/schemas/sam.schema.json");
    private static JsonNode template;
    private static JsonNode resources;
    private static JsonNode function;

    @BeforeAll
    static void readTheTemplate() throws IOException {
        template = JSON.valueToTree(dev.postrenderer.local.SamTemplate.read(Path.of("template.yaml")).asMap());
        resources = template.path("Resources");
        function = resources.path("PublishFunction");
    }

    @Test
    void theFunctionRunsJava25OnArm64WithSnapStartOnAnAlias() throws IOException {
        JsonNode globals = template.path("Globals").path("Function");
        assertThat(function.path("Type").asText()).isEqualTo("AWS::Serverless::Function");
        assertThat(globals.path("Runtime").asText()).isEqualTo("java25");
        assertThat(globals.path("Architectures").get(0).asText()).isEqualTo("arm64");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotBlank();
        assertThat(globals.path("Timeout").asInt()).isBetween(10, 900);
        assertThat(globals.path("CodeUri").asText()).isEqualTo(".");
        assertThat(function.path("Metadata").path("BuildMethod").asText()).isEqualTo("makefile");
        assertThat(Files.readString(Path.of("Makefile"))).contains("build-PublishFunction", "post-renderer-lambda.zip");
    }

    @Test
    void thePublishHandlerIsAStreamHandlerAndTheRerenderHandlerTakesBatchOperationsEvents() throws Exception {
        Class<?> publish = handlerClass("PublishFunction");
        assertThat(com.amazonaws.services.lambda.runtime.RequestStreamHandler.class).isAssignableFrom(publish);
        // Lambda creates the handler through its public no-argument constructor
        assertThatCode(publish::getConstructor).doesNotThrowAnyException();
        Class<?> rerender = handlerClass("RerenderFunction");
        assertThat(com.amazonaws.services.lambda.runtime.RequestHandler.class).isAssignableFrom(rerender);
        assertThat(rerender.getMethod("handleRequest", com.amazonaws.services.lambda.runtime.events.S3BatchEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class).getReturnType())
                .isEqualTo(com.amazonaws.services.lambda.runtime.events.S3BatchResponse.class);
        for (String name : List.of("PublishFunction", "RerenderFunction")) {
            assertThat(resources.path(name).path("Metadata").path("BuildMethod").asText()).isEqualTo("makefile");
            assertThat(Files.readString(Path.of("Makefile"))).contains("build-" + name);
        }
    }

    private static Class<?> handlerClass(String function) throws ClassNotFoundException {
        String handler = resources.path(function).path("Properties").path("Handler").asText();
        assertThat(handler).endsWith("::handleRequest");
        return Class.forName(handler.split("::")[0]);
    }

    @Test
    void batchOperationsMayInvokeTheRerenderFunctionAndNothingElse() {
        JsonNode role = resources.path("BatchOperationsRole").path("Properties");
        assertThat(role.path("AssumeRolePolicyDocument").path("Statement").get(0).path("Principal").path("Service")
                .asText()).isEqualTo("batchoperations.s3.amazonaws.com");
        JsonNode statements = role.path("Policies").get(0).path("PolicyDocument").path("Statement");
        assertThat(statements.get(0).path("Action").asText()).isEqualTo("lambda:InvokeFunction");
        assertThat(statements.get(0).path("Resource")).isEqualTo(ref("RerenderFunction.Alias"));
        assertThat(statements.get(1).path("Resource").path("Fn::Sub").asText()).endsWith("/_rerender/*");
        assertThat(template.path("Outputs").has("BatchOperationsRoleArn")).isTrue();
        assertThat(template.path("Outputs").has("RerenderFunctionArn")).isTrue();
    }

    @Test
    void theOnlyTriggerIsTheQueueTheSourceBucketNotifiesSoThereIsNoRecursion() {
        JsonNode events = function.path("Properties").path("Events");
        assertThat(events.size()).isEqualTo(1);
        JsonNode trigger = events.elements().next();
        assertThat(trigger.path("Type").asText()).isEqualTo("SQS");
        JsonNode properties = trigger.path("Properties");
        assertThat(properties.path("Queue").path("Fn::GetAtt").get(0).asText()).isEqualTo("PublishQueue");
        assertThat(properties.path("BatchSize").asInt()).isBetween(10, 10_000);
        assertThat(properties.path("MaximumBatchingWindowInSeconds")).isEqualTo(ref("BatchingWindowSeconds"));
        assertThat(texts(properties.path("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
        assertThat(properties.path("ScalingConfig").path("MaximumConcurrency").asInt()).isBetween(2, 1000);

        JsonNode notifications = resources.path("SourceBucket").path("Properties").path("NotificationConfiguration")
                .path("QueueConfigurations");
        assertThat(notifications).extracting(n -> n.path("Event").asText())
                .containsExactly("s3:ObjectCreated:*", "s3:ObjectRemoved:*");
        notifications.forEach(n -> assertThat(n.path("Queue").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("PublishQueue"));
        assertThat(resources.path("SiteBucket").path("Properties").has("NotificationConfiguration")).isFalse();
        assertThat(template.path("Globals").path("Function").path("Environment").path("Variables").path("SITE_BUCKET"))
                .isEqualTo(ref("SiteBucketName"));
        assertThat(resources.path("RerenderFunction").path("Properties").has("Events")).isFalse();
    }

    @Test
    void onlyTheSourceBucketMaySendToTheQueueAndTheNotificationWaitsForThatPermission() {
        JsonNode statement = resources.path("PublishQueuePolicy").path("Properties").path("PolicyDocument")
                .path("Statement").get(0);
        assertThat(statement.path("Principal").path("Service").asText()).isEqualTo("s3.amazonaws.com");
        assertThat(statement.path("Action").asText()).isEqualTo("sqs:SendMessage");
        assertThat(statement.path("Condition").path("ArnLike").path("aws:SourceArn").path("Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:s3:::${SourceBucketName}");
        assertThat(statement.path("Condition").path("StringEquals").path("aws:SourceAccount"))
                .isEqualTo(ref("AWS::AccountId"));
        assertThat(resources.path("SourceBucket").path("DependsOn").asText()).isEqualTo("PublishQueuePolicy");
    }

    @Test
    void messagesThatKeepFailingGoToADeadLetterQueueAndTheQueueOutlastsTheFunction() {
        JsonNode queue = resources.path("PublishQueue").path("Properties");
        int timeout = template.path("Globals").path("Function").path("Timeout").asInt();
        assertThat(queue.path("VisibilityTimeout").asInt()).as("visibility timeout").isGreaterThanOrEqualTo(6 * timeout);
        assertThat(queue.path("RedrivePolicy").path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("PublishDeadLetterQueue");
        assertThat(queue.path("RedrivePolicy").path("maxReceiveCount").asInt()).isBetween(2, 10);
        assertThat(resources.path("PublishDeadLetterQueue").path("Properties").path("MessageRetentionPeriod").asInt())
                .isGreaterThan(queue.path("MessageRetentionPeriod").asInt());
        JsonNode alarm = resources.path("DeadLettersAlarm").path("Properties");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(alarm.path("Dimensions").get(0).path("Value").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("PublishDeadLetterQueue");
        assertThat(template.path("Outputs").has("PublishDeadLetterQueueUrl")).isTrue();
        assertThat(template.path("Outputs").has("PublishQueueUrl")).isTrue();
    }

    /** Lambda requires a window of at least one second with a batch size above ten, and allows up to 300. */
    @Test
    void aLonePostWaitsAFewSecondsForItsBatchAndTheWindowIsAParameterWithinLambdasBounds() {
        JsonNode window = template.path("Parameters").path("BatchingWindowSeconds");
        assertThat(window.path("Type").asText()).isEqualTo("Number");
        assertThat(window.path("MinValue").asInt()).isEqualTo(1);
        assertThat(window.path("MaxValue").asInt()).isEqualTo(300);
        assertThat(window.path("Default").asInt()).isBetween(1, 5);
    }

    @Test
    void policiesAreScopedToTheTwoBuckets() {
        for (String name : List.of("PublishFunction", "RerenderFunction")) {
            JsonNode policies = resources.path(name).path("Properties").path("Policies");
            assertThat(policies.size()).as(name).isEqualTo(1);
            assertThat(policies.get(0)).as(name).isEqualTo(ref("SitePublishingPolicy"));
        }
        JsonNode statements = resources.path("SitePublishingPolicy").path("Properties").path("PolicyDocument")
                .path("Statement");
        List<String> granted = new ArrayList<>();
        for (JsonNode statement : statements) {
            String resource = statement.path("Resource").path("Fn::Sub").asText();
            assertThat(resource).as(statement.path("Sid").asText())
                    .matches("arn:\\$\\{AWS::Partition}:s3:::\\$\\{(SourceBucketName|SiteBucketName)}(/\\*)?");
            for (String action : texts(statement.path("Action"))) {
                granted.add(action + " " + resource.replaceAll(".*\\$\\{(\\w+)}", "$1"));
            }
        }
        assertThat(granted).containsExactlyInAnyOrder(
                "s3:GetObject SourceBucketName/*",
                "s3:ListBucket SourceBucketName",
                "s3:GetObject SiteBucketName/*",
                "s3:PutObject SiteBucketName/*",
                "s3:DeleteObject SiteBucketName/*",
                "s3:ListBucket SiteBucketName");
    }

    @Test
    void permanentFailuresRaiseAnAlarmOnTheMetricTheHandlerEmits() {
        JsonNode alarm = resources.path("PermanentFailuresAlarm").path("Properties");
        assertThat(alarm.path("Namespace").asText()).isEqualTo("PostRenderer");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("PermanentFailures");
        assertThat(alarm.path("Dimensions").get(0).path("Name").asText()).isEqualTo("FunctionName");
        assertThat(alarm.path("Dimensions").get(0).path("Value")).isEqualTo(ref("PublishFunction"));
    }

    @Test
    void bothBucketsArePrivateAndOnlyTheDistributionReadsTheSiteButNeverItsState() {
        JsonNode source = resources.path("SourceBucket").path("Properties");
        assertThat(source.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
        for (String bucket : List.of("SourceBucket", "SiteBucket")) {
            JsonNode block = resources.path(bucket).path("Properties").path("PublicAccessBlockConfiguration");
            assertThat(block.size()).as(bucket).isEqualTo(4);
            block.forEach(value -> assertThat(value.asBoolean()).as(bucket).isTrue());
        }
        JsonNode site = resources.path("SiteBucket").path("Properties");
        assertThat(site.has("WebsiteConfiguration")).as("website hosting").isFalse();

        JsonNode statements = resources.path("SiteBucketPolicy").path("Properties").path("PolicyDocument")
                .path("Statement");
        JsonNode distributionArn = JSON.createObjectNode().put("Fn::Sub",
                "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${SiteDistribution}");
        List<String> allowed = new ArrayList<>();
        for (JsonNode statement : statements) {
            assertThat(statement.path("Principal").path("Service").asText()).isEqualTo("cloudfront.amazonaws.com");
            if (statement.path("Effect").asText().equals("Allow")) {
                assertThat(statement.path("Condition").path("StringEquals").path("AWS:SourceArn")).isEqualTo(distributionArn);
                allowed.add(statement.path("Action").asText());
            } else {
                assertThat(statement.path("Action").asText()).isEqualTo("s3:GetObject");
                assertThat(statement.path("Resource").path("Fn::Sub").asText()).isEqualTo("${SiteBucket.Arn}/_site/*");
            }
        }
        assertThat(allowed).containsExactlyInAnyOrder("s3:GetObject", "s3:ListBucket");
        assertThat(statements).anyMatch(statement -> statement.path("Effect").asText().equals("Deny"));
    }

    @Test
    void theDistributionServesTheBucketOverHttpsThroughOriginAccessControl() {
        JsonNode config = resources.path("SiteDistribution").path("Properties").path("DistributionConfig");
        assertThat(config.path("HttpVersion").asText()).isEqualTo("http2and3");
        JsonNode origin = config.path("Origins").get(0);
        assertThat(origin.path("DomainName").path("Fn::GetAtt").get(0).asText()).isEqualTo("SiteBucket");
        assertThat(origin.path("OriginAccessControlId").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("SiteOriginAccessControl");
        JsonNode oac = resources.path("SiteOriginAccessControl").path("Properties").path("OriginAccessControlConfig");
        assertThat(oac.path("OriginAccessControlOriginType").asText()).isEqualTo("s3");
        assertThat(oac.path("SigningBehavior").asText()).isEqualTo("always");
        assertThat(oac.path("SigningProtocol").asText()).isEqualTo("sigv4");

        JsonNode behavior = config.path("DefaultCacheBehavior");
        assertThat(behavior.path("ViewerProtocolPolicy").asText()).isEqualTo("redirect-to-https");
        assertThat(behavior.path("Compress").asBoolean()).isTrue();
        assertThat(behavior.path("CachePolicyId")).isEqualTo(ref("SiteCachePolicy"));
        assertThat(behavior.path("ResponseHeadersPolicyId")).isEqualTo(ref("SiteHeadersPolicy"));
        JsonNode association = behavior.path("FunctionAssociations").get(0);
        assertThat(association.path("EventType").asText()).isEqualTo("viewer-request");
        assertThat(association.path("FunctionARN").path("Fn::GetAtt").get(0).asText()).isEqualTo("SiteRewriteFunction");
        JsonNode function = resources.path("SiteRewriteFunction").path("Properties");
        assertThat(function.path("FunctionConfig").path("Runtime").asText()).isEqualTo("cloudfront-js-2.0");
        assertThat(function.path("AutoPublish").asBoolean()).isTrue();
        assertThat(function.path("FunctionCode").asText()).contains("function handler(event)");

        List<String> errors = new ArrayList<>();
        config.path("CustomErrorResponses").forEach(error -> {
            assertThat(error.path("ResponseCode").asInt()).isEqualTo(404);
            assertThat(error.path("ResponsePagePath").asText()).isEqualTo("/404.html");
            errors.add(error.path("ErrorCode").asText());
        });
        assertThat(errors).containsExactlyInAnyOrder("403", "404");
    }

    @Test
    void everyResponseCarriesSecurityHeadersThePagesSatisfy() {
        JsonNode security = resources.path("SiteHeadersPolicy").path("Properties").path("ResponseHeadersPolicyConfig")
                .path("SecurityHeadersConfig");
        assertThat(security.path("StrictTransportSecurity").path("AccessControlMaxAgeSec").asInt())
                .isGreaterThanOrEqualTo(31_536_000);
        assertThat(security.path("ContentTypeOptions").path("Override").asBoolean()).isTrue();
        assertThat(security.path("ReferrerPolicy").path("ReferrerPolicy").asText())
                .isEqualTo("strict-origin-when-cross-origin");
        String csp = security.path("ContentSecurityPolicy").path("ContentSecurityPolicy").asText();
        assertThat(csp).contains("default-src 'none'", "script-src 'none'", "style-src 'self' 'unsafe-inline'",
                "img-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'");
        security.forEach(header -> assertThat(header.path("Override").asBoolean()).isTrue());
    }

    @Test
    void pagesAreCachedMinutesAndAssetsADayAsTheirCacheControlSays() {
        JsonNode cache = resources.path("SiteCachePolicy").path("Properties").path("CachePolicyConfig");
        assertThat(cache.path("MinTTL").asInt()).isZero();
        assertThat(cache.path("MaxTTL").asInt()).isGreaterThanOrEqualTo(86_400);
        JsonNode key = cache.path("ParametersInCacheKeyAndForwardedToOrigin");
        assertThat(key.path("QueryStringsConfig").path("QueryStringBehavior").asText()).isEqualTo("none");
        assertThat(key.path("CookiesConfig").path("CookieBehavior").asText()).isEqualTo("none");
        JsonNode env = template.path("Globals").path("Function").path("Environment").path("Variables");
        assertThat(env.path("CACHE_CONTROL").asText()).isEqualTo("public, max-age=300");
        assertThat(env.path("ASSET_CACHE_CONTROL").asText()).isEqualTo("public, max-age=86400");
    }

    @Test
    void aCustomDomainIsTwoOptionalParametersAndSiteUrlDefaultsToTheDistribution() {
        JsonNode parameters = template.path("Parameters");
        assertThat(parameters.path("DomainName").path("Default").asText()).isEmpty();
        assertThat(parameters.path("CertificateArn").path("Default").asText()).isEmpty();
        assertThat(parameters.path("CertificateArn").path("AllowedPattern").asText()).contains("acm:us-east-1");
        JsonNode config = resources.path("SiteDistribution").path("Properties").path("DistributionConfig");
        assertThat(config.path("Aliases").path("Fn::If").get(0).asText()).isEqualTo("HasDomain");
        JsonNode certificate = config.path("ViewerCertificate").path("Fn::If");
        assertThat(certificate.get(1).path("AcmCertificateArn")).isEqualTo(ref("CertificateArn"));
        assertThat(certificate.get(1).path("SslSupportMethod").asText()).isEqualTo("sni-only");
        assertThat(certificate.get(2).path("CloudFrontDefaultCertificate").asBoolean()).isTrue();

        JsonNode siteUrl = template.path("Globals").path("Function").path("Environment").path("Variables")
                .path("SITE_URL");
        assertThat(siteUrl.toString()).contains("https://${SiteDistribution.DomainName}", "https://${DomainName}");
        assertThat(template.path("Outputs").path("SiteUrl").path("Value")).isEqualTo(siteUrl);
    }

    @Test
    void bothAlarmsNotifyTheAlarmEmailWhenOneIsGivenAndNothingOtherwise() {
        JsonNode parameter = template.path("Parameters").path("AlarmEmail");
        assertThat(parameter.path("Default").asText()).isEmpty();
        assertThat("ops@example.com").matches(parameter.path("AllowedPattern").asText());
        assertThat("").matches(parameter.path("AllowedPattern").asText());
        assertThat("not an address").doesNotMatch(parameter.path("AllowedPattern").asText());
        JsonNode topic = resources.path("AlarmTopic");
        assertThat(topic.path("Type").asText()).isEqualTo("AWS::SNS::Topic");
        assertThat(topic.path("Condition").asText()).isEqualTo("HasAlarmEmail");
        assertThat(topic.path("Properties").path("Subscription").get(0).path("Protocol").asText()).isEqualTo("email");
        assertThat(topic.path("Properties").path("Subscription").get(0).path("Endpoint")).isEqualTo(ref("AlarmEmail"));
        for (String alarm : List.of("PermanentFailuresAlarm", "DeadLettersAlarm")) {
            for (String actions : List.of("AlarmActions", "OKActions")) {
                JsonNode branches = resources.path(alarm).path("Properties").path(actions).path("Fn::If");
                assertThat(branches.get(0).asText()).as(alarm + " " + actions).isEqualTo("HasAlarmEmail");
                assertThat(branches.get(1).get(0)).as(alarm + " " + actions).isEqualTo(ref("AlarmTopic"));
                assertThat(branches.get(2)).as(alarm + " " + actions).isEqualTo(ref("AWS::NoValue"));
            }
        }
    }

    @Test
    void s3EndpointIsDeclaredEmptySoSamLocalInvokeMaySetIt() {
        JsonNode env = template.path("Globals").path("Function").path("Environment").path("Variables");
        assertThat(env.has("S3_ENDPOINT")).isTrue();
        assertThat(env.path("S3_ENDPOINT").asText()).isEmpty();
    }

    @Test
    void outputsNameBothBucketsTheSiteUrlAndTheDistribution() {
        JsonNode outputs = template.path("Outputs");
        assertThat(outputs.path("SourceBucket").path("Value")).isEqualTo(ref("SourceBucket"));
        assertThat(outputs.path("SiteBucket").path("Value")).isEqualTo(ref("SiteBucket"));
        assertThat(outputs.path("DistributionId").path("Value")).isEqualTo(ref("SiteDistribution"));
        outputs.forEach(output -> assertThat(output.path("Description").asText()).isNotBlank());
        assertThat(template.path("Parameters").has("SourceBucketName")).isTrue();
        assertThat(template.path("Parameters").has("SiteBucketName")).isTrue();
        assertThat(template.path("Parameters").has("SiteUrl")).isTrue();
    }

    @Test
    void everyResourceValidatesAgainstTheSamSchema() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        List<String> problems = new ArrayList<>();
        problems.addAll(validate(factory, schema, "__main____Globals", template.path("Globals"), "Globals"));
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            String definition = resource.getValue().path("Type").asText().equals("AWS::Serverless::Function")
                    ? "samtranslator__internal__schema_source__aws_serverless_function__Resource"
                    : "samtranslator__internal__schema_source__any_cfn_resource__Resource";
            problems.addAll(validate(factory, schema, definition, resource.getValue(), resource.getKey()));
        }
        assertThat(problems).isEmpty();
    }

    private static List<String> validate(JsonSchemaFactory factory, JsonNode schema, String definition, JsonNode value,
                                         String name) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$ref", "#/definitions/" + definition);
        root.set("definitions", schema.path("definitions"));
        JsonSchema validator = factory.getSchema(root);
        Set<ValidationMessage> messages = validator.validate(value);
        return messages.stream().map(message -> name + ": " + message.getMessage()).toList();
    }

    private static JsonNode ref(String name) {
        return JSON.createObjectNode().put("Ref", name);
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }
}
