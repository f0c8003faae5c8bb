package org.fgclip2.inference;

import ai.djl.Device;
import org.fgclip2.model.FgClip2Config;
import org.fgclip2.model.Precision;

/**
 * What is loaded and where.
 *
 * @param id stable identity of the weights, {@code <name>@<fingerprint>}: outputs name the model they were scored
 *     with, and caption embeddings are only reused with the model that made them
 * @param name the hub id or folder name the user gave
 */
public record ModelInfo(String id, String name, FgClip2Config config, Device device, Precision precision) {
}
