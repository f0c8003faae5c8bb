package org.fgclip2.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux); -1 elsewhere. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    static long rssMiB() {
        return statusKiB("VmRSS:") / 1024;
    }

    static long peakRssMiB() {
        return statusKiB("VmHWM:") / 1024;
    }

    private static long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
