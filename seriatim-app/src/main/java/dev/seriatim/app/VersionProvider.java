package dev.seriatim.app;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar's manifest (or "development" when run from classes). */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"seriatim " + (v == null ? "development" : v) + ", Java " + Runtime.version()};
    }
}
