/** Threads the JVM does not wait for: every package that starts a thread takes it from here. */
package org.fgclip2.concurrent;
