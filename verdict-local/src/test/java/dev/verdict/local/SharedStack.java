package dev.verdict.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One stack of {@code ./verdict up} shared by the end-to-end test classes of a test JVM that can share it
 * (VerdictUpIT, then WebPagesIT): started on first use, kept in the launcher session's store, and stopped when the
 * session ends (the fork's end: failsafe runs each class of a fork as its own execution in one session, so the root
 * store would close it after each class). Starting a whole stack costs tens of seconds of CPU on this machine; these classes need the same one.
 * The reliability suite kills components and keeps its own.
 *
 * <p>A class that must be the first to use the stack (VerdictUpIT checks the first start's progress lines and that
 * the demo files the case for the first time) asks for a {@link #fresh} one: if another class used the shared stack
 * before it, that stack is stopped and a new one started on empty data.
 */
final class SharedStack implements AutoCloseable {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStack.class);

    private final StackConfig config;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Stack stack;
    private boolean used;

    private SharedStack(StackConfig config) {
        this.config = config;
    }

    /** For a test class: {@code @RegisterExtension static final SharedStack.Use STACK = SharedStack.use();}. */
    static Use use() {
        return new Use(false);
    }

    /** Like {@link #use()}, for a class that must be the shared stack's first user (see {@link #fresh}). */
    static Use useFresh() {
        return new Use(true);
    }

    /** The extension that hands the shared stack to a test class before its {@code @BeforeAll} methods run. */
    static final class Use implements BeforeAllCallback {

        private final boolean fresh;
        private SharedStack shared;

        private Use(boolean fresh) {
            this.fresh = fresh;
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            shared = fresh ? SharedStack.fresh(context) : SharedStack.get(context);
        }

        SharedStack get() {
            return shared;
        }
    }

    /** The shared stack, started if it is not running yet. */
    static SharedStack get(ExtensionContext context) {
        SharedStack shared = context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .computeIfAbsent(SharedStack.class, key -> start(), SharedStack.class);
        shared.used = true;
        return shared;
    }

    /** The shared stack on empty data, never used by another test class before. */
    static SharedStack fresh(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, NAMESPACE);
        SharedStack existing = store.get(SharedStack.class, SharedStack.class);
        if (existing != null && existing.used) {
            store.remove(SharedStack.class, SharedStack.class);
            existing.close();
        }
        return get(context);
    }

    private static SharedStack start() {
        try {
            // One per test JVM: failsafe runs this module's classes in two forks.
            Path home = Path.of("target", "e2e-home-" + ProcessHandle.current().pid()).toAbsolutePath();
            Directories.delete(home);
            SharedStack shared = new SharedStack(StackConfig.onFreePorts(Path.of("..").toAbsolutePath().normalize(),
                    home));
            shared.stack = new Stack(shared.config, shared.progress());
            try {
                shared.stack.start();
            } catch (Exception e) {
                shared.close();
                throw e;
            }
            return shared;
        } catch (Exception e) {
            throw new IllegalStateException("the shared stack did not start", e);
        }
    }

    StackConfig config() {
        return config;
    }

    /** Everything the stack (and whoever else writes to {@link #progress()}) printed since it was first started. */
    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Where progress lines go: the stack's, and the demo's. */
    PrintStream progress() {
        return new PrintStream(output, true, StandardCharsets.UTF_8);
    }

    /** Stops the whole stack and starts it again on the same data and ports, as an operator's restart would. */
    void restart() throws Exception {
        stack.close();
        stack = new Stack(config, progress());
        stack.start();
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
        System.out.println(output());
    }
}
