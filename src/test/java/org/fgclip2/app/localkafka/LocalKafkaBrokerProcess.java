package org.fgclip2.app.localkafka;

/**
 * A JVM that runs a {@link LocalKafkaBroker} until it is signalled, like the {@code dev} command. It prints
 * {@code READY <broker port> <controller port> <data directory>} once the broker is ready.
 */
public final class LocalKafkaBrokerProcess {

    private LocalKafkaBrokerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalKafkaBroker broker = LocalKafkaBroker.start();
        System.out.println("READY " + broker.brokerPort() + " " + broker.controllerPort() + " "
                + broker.dataDirectory());
        System.out.flush();
        Thread.currentThread().join();
    }
}
