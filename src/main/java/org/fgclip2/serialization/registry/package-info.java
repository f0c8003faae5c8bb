/**
 * The Confluent schema registry API: a REST client with auth, TLS and caching, and the local registry that
 * {@code dev} and the tests start.
 */
package org.fgclip2.serialization.registry;
