package org.fgclip2.app.run;

import org.apache.logging.log4j.core.config.Configurator;

/**
 * Switches the log lines between text and JSON ({@code log.format}). log4j2.xml picks its console layout from the
 * system property {@value #PROPERTY}; settings are read after logging has started, so a change reloads the
 * configuration. Setting the property on the command line ({@code -Dfgclip2.log.format=json}) gives JSON from the
 * process's first line.
 */
final class LogFormat {

    static final String PROPERTY = "fgclip2.log.format";

    private LogFormat() {
    }

    /** @param format {@code text} or {@code json}, as checked by the settings */
    static synchronized void apply(String format) {
        if (!format.equals(System.getProperty(PROPERTY, "text"))) {
            System.setProperty(PROPERTY, format);
            Configurator.reconfigure();
        }
    }
}
