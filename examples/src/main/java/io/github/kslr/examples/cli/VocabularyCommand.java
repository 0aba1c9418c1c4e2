package io.github.kslr.examples.cli;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kslr vocabulary list|remove|rename V ...}: looks after a vocabulary file. */
@Command(
        name = "vocabulary",
        mixinStandardHelpOptions = true,
        description = {
            "Lists, removes or renames the signs of a vocabulary file:",
            "  kslr vocabulary list V",
            "  kslr vocabulary remove V LABEL",
            "  kslr vocabulary rename V OLD NEW"
        })
public final class VocabularyCommand extends CommandBase {

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, remove or rename")
    String action;

    @Parameters(index = "1", paramLabel = "V", description = "the vocabulary file")
    Path vocabulary;

    @Parameters(index = "2..*", paramLabel = "ARGS", description = "LABEL for remove; OLD NEW for rename")
    List<String> args = List.of();

    @Option(names = "--embedder", paramLabel = "EMB.onnx", description = "sign embedder (default: the bundled one)")
    Path embedder;

    @Override
    public Integer call() {
        PrintWriter o = out();
        try (OnnxSignEmbedder emb = VocabularyFiles.embedder(embedder)) {
            SignVocabulary v = SignVocabulary.load(vocabulary, emb.metadata());
            switch (action) {
                case "list" -> {
                    need(0);
                    for (SignVocabulary.Sign s : v.signs()) {
                        o.printf(
                                "%s\t%s\t%s\t%d takes%s%n",
                                s.label(),
                                s.gloss(),
                                s.khmer(),
                                s.takeCount(),
                                s.hasMirroredTakes() ? " and their mirror images" : "");
                    }
                    o.println(v.signs().size() + " signs");
                }
                // Changes go through SignVocabulary.update: under the file's lock, on what the file holds then.
                case "remove" -> {
                    need(1);
                    int left = SignVocabulary.update(vocabulary, emb.metadata(), u -> {
                        if (!u.remove(args.get(0))) {
                            throw new InvalidInputException("the vocabulary has no sign '" + args.get(0) + "'");
                        }
                        return u.signs().size();
                    });
                    o.println("removed '" + args.get(0) + "'; " + left + " signs left");
                }
                case "rename" -> {
                    need(2);
                    SignVocabulary.update(vocabulary, emb.metadata(), u -> {
                        u.rename(args.get(0), args.get(1));
                        return null;
                    });
                    o.println("renamed '" + args.get(0) + "' to '" + args.get(1) + "'");
                }
                default ->
                    throw new InvalidInputException("unknown action '" + action + "'; expected list, remove or rename");
            }
        }
        o.flush();
        return 0;
    }

    private void need(int n) {
        if (args.size() != n) {
            throw new InvalidInputException(
                    action + " takes " + n + " argument(s) after the vocabulary, got " + args.size() + " " + args);
        }
    }
}
