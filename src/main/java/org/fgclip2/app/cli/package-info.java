/**
 * Plumbing every command shares and nothing else: the exceptions that mean "a person must fix this"
 * ({@link org.fgclip2.app.cli.UserInputException}, {@link org.fgclip2.app.cli.EnvironmentException}), exit codes,
 * one-line reasons, the {@code --model} options and file-tree removal. It depends on no other app package.
 */
package org.fgclip2.app.cli;
