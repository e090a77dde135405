package dev.postrenderer.post;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML as untrusted input: snakeyaml composes a document with strict {@link LoaderOptions} (no
 * duplicate keys, no aliases at all, nesting of at most {@value #MAX_DEPTH}, at most
 * {@value #MAX_CODE_POINTS} code points, no global or custom tags) and a resolver with no implicit
 * types, so every plain scalar is a string: {@code NO}, {@code 1.10} and {@code 2024-03-18} stay as
 * written. Values are built with {@link SafeConstructor} only. Thread-safe.
 */
final class StrictYaml {

    /** Deepest nesting of mappings and lists allowed. */
    static final int MAX_DEPTH = 10;

    /** Largest document, in code points. */
    static final int MAX_CODE_POINTS = 64 * 1024;

    private static final LoaderOptions OPTIONS = strictOptions();
    private static final Resolver PLAIN_STRINGS = new Resolver() {
        @Override
        protected void addImplicitResolvers() {
            // none: no type guessing (the Norway problem, dates, octal numbers)
        }
    };

    private StrictYaml() {
    }

    /**
     * The node tree of one document; null for an empty one.
     *
     * @throws MarkedYAMLException for a problem YAML can place
     */
    static Node compose(String yaml) {
        Parser parser = new NoAliases(new ParserImpl(new StreamReader(yaml), OPTIONS));
        return new Composer(parser, PLAIN_STRINGS, OPTIONS).getSingleNode();
    }

    /** Plain Java values (strings, lists, maps) for a node. */
    static Object construct(Node node) {
        return new ValueConstructor().construct(node);
    }

    private static LoaderOptions strictOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setProcessComments(false);
        options.setWrappedToRootException(false);
        options.setTagInspector(tag -> false);
        return options;
    }

    /** Builds plain Java values for the keys kept for layouts. */
    private static final class ValueConstructor extends SafeConstructor {
        ValueConstructor() {
            super(OPTIONS);
        }

        Object construct(Node node) {
            return constructObject(node);
        }
    }

    /** A parser that refuses aliases: front matter has no use for them, and they are how YAML bombs work. */
    private static final class NoAliases implements Parser {
        private final Parser delegate;

        NoAliases(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return refuseAlias(delegate.peekEvent());
        }

        @Override
        public Event getEvent() {
            return refuseAlias(delegate.getEvent());
        }

        private static Event refuseAlias(Event event) {
            if (event instanceof AliasEvent alias) {
                throw new MarkedYAMLException("while composing front matter", null,
                        "aliases (*" + alias.getAnchor() + ") are not allowed", alias.getStartMark()) {
                    private static final long serialVersionUID = 1L;
                };
            }
            return event;
        }
    }
}
