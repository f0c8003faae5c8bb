package org.fgclip2.app;

import picocli.CommandLine;

/** The version recorded in the jar manifest at build time. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"fgclip2-streams " + (v == null ? "(development build)" : v)};
    }
}
