package org.fgclip2.app.labels;

import java.nio.file.Path;
import java.util.List;
import org.fgclip2.app.cli.UserInputException;

/** A label file has problems; the message lists all of them, one per line. Nothing was sent. */
public final class LabelFileException extends UserInputException {

    private final List<String> problems;

    public LabelFileException(Path file, List<String> problems) {
        super(file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "; no label was sent" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, saying where in the file it is. */
    public List<String> problems() {
        return problems;
    }
}
