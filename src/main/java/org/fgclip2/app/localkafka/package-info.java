/**
 * A real single-node Kafka broker (KRaft) in this JVM on 127.0.0.1, and the plain clients the developer tools use
 * with it; for {@code dev}, {@code bench-pipeline} and the tests, never for production.
 */
package org.fgclip2.app.localkafka;
