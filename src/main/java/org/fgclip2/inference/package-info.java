/**
 * Running the model: {@link org.fgclip2.inference.FgClip2Inference} loads one model per device and offers batched
 * text, image and dense-map encodings, each forward on the model's one thread in its own NDManager scope. Knows
 * nothing of Kafka.
 */
package org.fgclip2.inference;
