package dev.seriatim.app;

/**
 * Turns Ctrl-C into a callback instead of ending the process, so an interactive chat can stop
 * the current reply and keep the session. Uses the JDK's unsupported signal API where present;
 * elsewhere Ctrl-C keeps its default meaning.
 */
final class CtrlC {

    private CtrlC() {
    }

    static void onInterrupt(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no SIGINT handling on this platform: Ctrl-C ends the program as usual
        }
    }
}
