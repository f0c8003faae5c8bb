package org.fgclip2.app;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.fgclip2.app.cli.EnvironmentException;
import org.fgclip2.app.cli.ExitCodes;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.hub.ModelResolutionException;
import org.fgclip2.image.ImageDecodeException;
import org.fgclip2.inference.DeviceUnavailableException;
import org.fgclip2.model.ConfigException;
import org.fgclip2.model.checkpoint.CheckpointException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr. Problems a person must fix, in what the user gave (arguments,
 * settings, files, images, model folders) or in what the instance needs around it (brokers, registry, topics, a
 * GPU, its state directory), exit with 2; anything else is a bug and exits with 1 (stack trace with
 * {@code FGCLIP2_DEBUG=1}).
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {

    static int onBadParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("error: " + e.getMessage());
        cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (System.getenv("FGCLIP2_DEBUG") != null) {
            cause.printStackTrace(cli.getErr());
        }
        if (isBadInput(cause)) {
            cli.getErr().println("error: " + message(cause));
            return ExitCodes.BAD_INPUT;
        }
        cli.getErr().println("error: " + message(cause) + " (internal error; FGCLIP2_DEBUG=1 shows the stack trace)");
        return ExitCodes.INTERNAL;
    }

    private static boolean isBadInput(Throwable t) {
        return t instanceof UserInputException || t instanceof EnvironmentException
                || t instanceof DeviceUnavailableException || t instanceof ModelResolutionException
                || t instanceof CheckpointException || t instanceof ConfigException
                || t instanceof ImageDecodeException || t instanceof NoSuchFileException
                || t instanceof FileNotFoundException || t instanceof IllegalArgumentException;
    }

    private static String message(Throwable t) {
        if (t instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        return Reasons.of(t);
    }
}
