package dev.seriatim.tensor;

/**
 * Decides whether the Vector API ({@code jdk.incubator.vector}) may be used.
 *
 * <p>Classes that mention Vector API types are kept separate from their plain-Java twins and
 * are only loaded after {@link #available()} said yes, so the library runs (more slowly)
 * on a JVM started without {@code --add-modules jdk.incubator.vector}.
 */
public final class VectorSupport {

    /** System property that, set to {@code false}, forces the plain-Java kernels. */
    public static final String PROPERTY = "seriatim.vector";

    private static final boolean AVAILABLE = ModuleLayer.boot()
                    .findModule("jdk.incubator.vector")
                    .isPresent()
            && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));

    private VectorSupport() {}

    /**
     * True when {@code jdk.incubator.vector} is in the boot layer and the system property
     * {@value #PROPERTY} is not {@code "false"}. Decided once, when this class is initialised.
     */
    public static boolean available() {
        return AVAILABLE;
    }
}
