/**
 * The Kafka Streams application: {@link org.fgclip2.topology.LabelingTopology} builds it in one method,
 * {@link org.fgclip2.topology.LabelingServices} wires the processors, and each stream thread's
 * {@link org.fgclip2.topology.ThreadBatcher} batches its tasks' images through the model. Knows nothing of the
 * command line.
 */
package org.fgclip2.topology;
