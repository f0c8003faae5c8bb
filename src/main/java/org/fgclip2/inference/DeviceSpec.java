package org.fgclip2.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where the model runs: {@code cpu}, {@code gpu} (GPU 0), {@code gpu:N}, or {@code auto} (the default: GPU 0 when
 * the engine sees a CUDA device, else the CPU).
 */
public record DeviceSpec(Kind kind, int index) {

    public enum Kind { AUTO, CPU, GPU }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

    public static DeviceSpec parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return AUTO;
        }
        if (v.equals("cpu")) {
            return CPU;
        }
        if (v.equals("gpu") || v.equals("cuda")) {
            return new DeviceSpec(Kind.GPU, 0);
        }
        if (v.startsWith("gpu:") || v.startsWith("cuda:")) {
            try {
                int n = Integer.parseInt(v.substring(v.indexOf(':') + 1));
                if (n >= 0) {
                    return new DeviceSpec(Kind.GPU, n);
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + s + "': use cpu, gpu, gpu:N or auto");
    }

    /** The engine device; fails with what to do when a GPU is asked for that the engine does not see. */
    public Device resolve(Engine engine) {
        int gpus = engine.getGpuCount();
        return switch (kind) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new DeviceUnavailableException("no CUDA GPU is visible to the PyTorch engine on this host;"
                            + " use --device cpu or auto (model.device for run). For a GPU, the bundled libtorch is"
                            + " CPU-only: point PYTORCH_LIBRARY_PATH at a CUDA libtorch 2.7.1 and set"
                            + " PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 (see README)");
                }
                if (index >= gpus) {
                    throw new DeviceUnavailableException("device gpu:" + index + " requested but the PyTorch engine"
                            + " sees " + gpus + " GPU(s): use gpu:0 to gpu:" + (gpus - 1) + ", cpu or auto");
                }
                yield Device.gpu(index);
            }
        };
    }

    @Override
    public String toString() {
        return kind == Kind.GPU ? "gpu:" + index : kind.name().toLowerCase(Locale.ROOT);
    }
}
