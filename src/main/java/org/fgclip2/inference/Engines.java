package org.fgclip2.inference;

import ai.djl.engine.Engine;
import java.nio.file.Paths;

/**
 * The PyTorch engine, started offline. Without offline mode DJL contacts a metadata endpoint at engine start and
 * at tokenizer creation, and on GPU hosts tries to download native builds: the application never touches the
 * network unless the user asks for a hub download.
 */
public final class Engines {
    private Engines() {
    }

    /** Forces DJL offline; call before any DJL class initialises (the CLI does it first thing in main). */
    public static void forceOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR",
                    Paths.get(System.getProperty("user.home"), ".djl.ai").toString());
        }
    }

    public static Engine pytorch() {
        forceOffline();
        return Engine.getEngine("PyTorch");
    }
}
