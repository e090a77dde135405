package dev.postrenderer.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A SAM template read as {@code sam local invoke} reads it: a function's handler, runtime, memory,
 * timeout and environment with {@code Globals} merged in, and the intrinsics it can resolve
 * without AWS ({@code Ref} to parameters and pseudo parameters, {@code Fn::Sub}, {@code Fn::If}
 * with its conditions, {@code Fn::Join}, {@code Fn::Select}) resolved; a value it cannot resolve
 * (an attribute of a resource) is blank, as SAM leaves it.
 */
public final class SamTemplate {

    /** The account id {@code sam local invoke} gives functions. */
    static final String LOCAL_ACCOUNT = "123456789012";

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{(!?)([^}]*)}");

    private final String file;
    private final Map<String, Object> root;

    private SamTemplate(String file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    /** Reads a template; CloudFormation's short-form tags ({@code !Ref X}) become their long forms. */
    public static SamTemplate read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses a template's text; {@code origin} names it in messages. */
    public static SamTemplate parse(String text, String origin) throws IOException {
        Object yaml = new Yaml(new CloudFormationConstructor()).load(text);
        if (!(yaml instanceof Map<?, ?> map) || !(map.get("Resources") instanceof Map<?, ?>)) {
            throw new IOException(origin + " is not a SAM template (no Resources)");
        }
        return new SamTemplate(origin, cast(map));
    }

    /** The whole template as maps, lists and scalars, intrinsics in their long forms ({@code {Ref: X}}). */
    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(root);
    }

    /**
     * A function as {@code sam local invoke} would run it.
     *
     * @param snapStart true if its triggers invoke a published SnapStart version: SnapStart applies
     *                  to published versions and {@code AutoPublishAlias} publishes one behind an
     *                  alias, which SAM points the function's event sources at
     */
    public record Function(String logicalId, String handler, String runtime, int memoryMb, int timeoutSeconds,
                           Map<String, String> environment, List<String> unresolved, boolean snapStart) {
        public Function {
            Objects.requireNonNull(handler, "handler == null");
            environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            unresolved = List.copyOf(unresolved);
        }
    }

    /**
     * The function with this logical id, its properties merged over {@code Globals.Function}.
     *
     * @param parameters values for the template's parameters, over their defaults
     * @param region     the value of {@code AWS::Region}
     * @throws IllegalArgumentException if the template has no such function, or a parameter has no value
     */
    public Function function(String logicalId, Map<String, String> parameters, String region) {
        Map<String, Object> resources = map(root.get("Resources"));
        Map<String, Object> resource = map(resources.get(logicalId));
        if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
            throw new IllegalArgumentException(file + " has no function " + logicalId + " (its functions: "
                    + String.join(", ", functionIds()) + ")");
        }
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, Object> properties = map(resource.get("Properties"));
        Resolver resolver = new Resolver(parameterValues(parameters), region);
        Map<String, Object> variables = new LinkedHashMap<>(map(map(globals.get("Environment")).get("Variables")));
        variables.putAll(map(map(properties.get("Environment")).get("Variables")));
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        variables.forEach((name, value) -> {
            Optional<String> resolved = resolver.value(value);
            environment.put(name, resolved.orElse(""));
            if (resolved.isEmpty()) {
                unresolved.add(name);
            }
        });
        String handler = resolver.value(property(properties, globals, "Handler")).orElse("");
        String runtime = resolver.value(property(properties, globals, "Runtime")).orElse("");
        int memory = resolver.value(property(properties, globals, "MemorySize")).map(Integer::parseInt).orElse(128);
        int timeout = resolver.value(property(properties, globals, "Timeout")).map(Integer::parseInt).orElse(3);
        boolean snapStart = resolver.value(map(property(properties, globals, "SnapStart")).get("ApplyOn"))
                .filter("PublishedVersions"::equals).isPresent()
                && resolver.value(property(properties, globals, "AutoPublishAlias")).filter(s -> !s.isBlank()).isPresent();
        return new Function(logicalId, handler, runtime, memory, timeout, environment, unresolved, snapStart);
    }

    /** The logical ids of the template's functions. */
    public List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        map(root.get("Resources")).forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A resource's properties, as written (intrinsics in long form); empty if there is no such resource. */
    public Map<String, Object> properties(String logicalId) {
        return map(map(map(root.get("Resources")).get(logicalId)).get("Properties"));
    }

    /** The logical ids of the resources of one type, in template order. */
    public List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        map(root.get("Resources")).forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    private Object property(Map<String, Object> properties, Map<String, Object> globals, String name) {
        return properties.containsKey(name) ? properties.get(name) : globals.get(name);
    }

    private Map<String, String> parameterValues(Map<String, String> overrides) {
        Map<String, Object> declared = map(root.get("Parameters"));
        for (String name : overrides.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("--parameter-overrides names " + name + ", which " + file
                        + " does not declare (its parameters: " + String.join(", ", new TreeSet<>(declared.keySet()))
                        + ")");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        declared.forEach((name, parameter) -> {
            Object fallback = map(parameter).get("Default");
            String value = overrides.containsKey(name) ? overrides.get(name)
                    : fallback == null ? null : String.valueOf(fallback);
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    /** Resolves what {@code sam local invoke} resolves; empty for what it leaves blank. */
    private final class Resolver {
        private final Map<String, String> parameters;
        private final String region;

        Resolver(Map<String, String> parameters, String region) {
            this.parameters = parameters;
            this.region = region;
        }

        Optional<String> value(Object value) {
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof String || value instanceof Number) {
                return Optional.of(String.valueOf(value));
            }
            if (value instanceof Boolean bool) {
                return Optional.of(bool ? "true" : "false");
            }
            if (!(value instanceof Map<?, ?> intrinsic) || intrinsic.size() != 1) {
                return Optional.empty();
            }
            String function = String.valueOf(intrinsic.keySet().iterator().next());
            Object argument = intrinsic.values().iterator().next();
            return switch (function) {
                case "Ref" -> ref(String.valueOf(argument));
                case "Fn::Sub" -> sub(argument);
                case "Fn::If" -> {
                    List<Object> branches = list(argument);
                    yield branches.size() == 3 ? condition(String.valueOf(branches.get(0)))
                            .flatMap(holds -> value(branches.get(holds ? 1 : 2))) : Optional.empty();
                }
                case "Fn::Join" -> {
                    List<Object> join = list(argument);
                    if (join.size() != 2) {
                        yield Optional.empty();
                    }
                    List<String> parts = new ArrayList<>();
                    for (Object part : list(join.get(1))) {
                        Optional<String> resolved = value(part);
                        if (resolved.isEmpty()) {
                            yield Optional.empty();
                        }
                        parts.add(resolved.get());
                    }
                    yield Optional.of(String.join(String.valueOf(join.get(0)), parts));
                }
                case "Fn::Select" -> {
                    List<Object> select = list(argument);
                    if (select.size() != 2) {
                        yield Optional.empty();
                    }
                    int index = value(select.get(0)).map(Integer::parseInt).orElse(-1);
                    List<Object> items = list(select.get(1));
                    yield index >= 0 && index < items.size() ? value(items.get(index)) : Optional.empty();
                }
                default -> Optional.empty();
            };
        }

        private Optional<String> ref(String name) {
            return switch (name) {
                case "AWS::Region" -> Optional.of(region);
                case "AWS::AccountId" -> Optional.of(LOCAL_ACCOUNT);
                case "AWS::Partition" -> Optional.of("aws");
                case "AWS::URLSuffix" -> Optional.of("amazonaws.com");
                default -> Optional.ofNullable(parameters.get(name));
            };
        }

        private Optional<String> sub(Object argument) {
            String text;
            Map<String, Object> variables = Map.of();
            if (argument instanceof List<?> pair && pair.size() == 2) {
                text = String.valueOf(pair.get(0));
                variables = map(pair.get(1));
            } else {
                text = String.valueOf(argument);
            }
            StringBuilder out = new StringBuilder();
            Matcher matcher = SUBSTITUTION.matcher(text);
            while (matcher.find()) {
                String name = matcher.group(2);
                Optional<String> replacement = !matcher.group(1).isEmpty() ? Optional.of("${" + name + "}")
                        : variables.containsKey(name) ? value(variables.get(name))
                        : name.contains(".") ? Optional.empty() : ref(name);
                if (replacement.isEmpty()) {
                    return Optional.empty();
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.get()));
            }
            matcher.appendTail(out);
            return Optional.of(out.toString());
        }

        private Optional<Boolean> condition(String name) {
            Object definition = map(root.get("Conditions")).get(name);
            return definition == null ? Optional.empty() : holds(definition);
        }

        private Optional<Boolean> holds(Object definition) {
            if (!(definition instanceof Map<?, ?> intrinsic) || intrinsic.size() != 1) {
                return Optional.empty();
            }
            String function = String.valueOf(intrinsic.keySet().iterator().next());
            Object argument = intrinsic.values().iterator().next();
            List<Object> arguments = argument instanceof List<?> ? list(argument) : List.of(argument);
            switch (function) {
                case "Condition":
                    return condition(String.valueOf(argument));
                case "Fn::Equals": {
                    if (arguments.size() != 2) {
                        return Optional.empty();
                    }
                    Optional<String> left = value(arguments.get(0));
                    Optional<String> right = value(arguments.get(1));
                    return left.isPresent() && right.isPresent() ? Optional.of(left.get().equals(right.get()))
                            : Optional.empty();
                }
                case "Fn::Not":
                    return arguments.size() == 1 ? holds(arguments.get(0)).map(held -> !held) : Optional.empty();
                case "Fn::And":
                case "Fn::Or": {
                    boolean and = function.equals("Fn::And");
                    boolean result = and;
                    for (Object each : arguments) {
                        Optional<Boolean> held = holds(each);
                        if (held.isEmpty()) {
                            return Optional.empty();
                        }
                        result = and ? result && held.get() : result || held.get();
                    }
                    return Optional.of(result);
                }
                default:
                    return Optional.empty();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? cast(map) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    /** Maps CloudFormation's short-form tags to their long forms: {@code !Ref X} to {@code {Ref: X}}. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (String function : List.of("Ref", "Sub", "GetAtt", "If", "Not", "Equals", "Join", "Select", "Split",
                    "FindInMap", "Base64", "Condition", "And", "Or", "ImportValue", "GetAZs", "Cidr")) {
                String longName = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                this.yamlConstructors.put(new Tag("!" + function), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = function.equals("GetAtt") ? List.of(scalar.getValue().split("\\.", 2))
                                    : scalar.getValue();
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(longName, value);
                    }
                });
            }
        }
    }
}
