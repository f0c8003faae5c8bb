/**
 * The command line: {@link org.fgclip2.app.Main} (the picocli root that lists every command) and the handler that
 * turns a failure into one line and an exit code. Each command lives in the subpackage named after what it does;
 * nothing below depends on this package.
 */
package org.fgclip2.app;
