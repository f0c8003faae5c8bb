/**
 * Turns the CLI's {@code --model} argument into a local checkpoint folder, downloading from the Hugging Face hub
 * when it names a hub repository.
 *
 * <p>Entry point: {@link org.fgclip2.hub.ModelLocator#resolve(String)}. A local folder is used as it is (after
 * checking it holds a complete checkpoint); {@code owner/name} or {@code owner/name@revision} is looked up in, and
 * downloaded into, the same cache the Python {@code huggingface_hub} library uses, so either side reuses what the
 * other downloaded. Settings come from the usual {@code HF_*} environment variables, see
 * {@link org.fgclip2.hub.HubOptions#fromEnvironment()}.
 */
package org.fgclip2.hub;
