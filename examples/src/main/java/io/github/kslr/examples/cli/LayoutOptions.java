package io.github.kslr.examples.cli;

import io.github.kslr.api.FeatureLayout;
import picocli.CommandLine.Option;

/**
 * {@code --layout} of the commands that write landmark features (a picocli mixin: one place for the option, its
 * default and how it is read; not thread-safe). The help lists the built-in layouts from {@link FeatureLayout}.
 */
final class LayoutOptions {

    @Option(
            names = "--layout",
            defaultValue = "reports-177",
            paramLabel = "NAME",
            completionCandidates = FeatureLayout.BuiltInNames.class,
            description = "feature layout: ${COMPLETION-CANDIDATES} or a spec (default ${DEFAULT-VALUE})")
    String layout;

    /** The chosen layout; {@link FeatureLayout#of} names a value it does not know. */
    FeatureLayout layout() {
        return FeatureLayout.of(layout);
    }
}
