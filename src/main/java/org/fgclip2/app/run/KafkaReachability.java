package org.fgclip2.app.run;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.fgclip2.app.cli.EnvironmentException;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start until the brokers answer, so that a wrong {@code bootstrap.servers} or a cluster that is down
 * fails before the model loads, with one line that says why, rather than as Kafka Streams' endless reconnects.
 */
final class KafkaReachability {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);

    private final AppConfig config;
    private final String servers;
    private Admin admin;

    private KafkaReachability(AppConfig config) {
        this.config = config;
        this.servers = config.string("bootstrap.servers");
    }

    /** An admin client of a cluster that answers; exit status 2 when none does within {@code timeout}. */
    static Admin await(AppConfig config, Duration timeout) throws InterruptedException {
        KafkaReachability wait = new KafkaReachability(config);
        Optional<String> failure;
        try {
            failure = StartupWait.until("Kafka at " + wait.servers, timeout, wait::tryOnce);
        } catch (InterruptedException | RuntimeException e) {
            wait.closeAdmin();
            throw e;
        }
        if (failure.isPresent()) {
            wait.closeAdmin();
            throw new EnvironmentException("cannot reach Kafka at " + wait.servers + " within " + timeout.toSeconds()
                    + " s: " + failure.get() + "; check bootstrap.servers (FGCLIP2_BOOTSTRAP_SERVERS) and that the"
                    + " brokers are up");
        }
        return wait.admin;
    }

    private Optional<String> tryOnce(Duration budget) throws InterruptedException {
        if (admin == null) {
            try {
                admin = Admin.create(config.clientProperties(AdminClientConfig.configNames()));
            } catch (KafkaException e) {
                // no bootstrap server resolves (yet): the client refuses to start
                return Optional.of(unreachableServers().orElse(Reasons.of(e)));
            }
        }
        Collection<Node> nodes;
        try {
            nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) budget.toMillis())).nodes().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new EnvironmentException("Kafka at " + servers + " refused this client: " + Reasons.of(cause)
                        + "; check kafka.security.protocol and the kafka.sasl.* / kafka.ssl.* settings", cause);
            }
            if (cause instanceof TimeoutException) {
                return Optional.of(unreachableServers().orElse("the brokers accept connections but gave no answer"
                        + " within " + budget.toSeconds() + " s (does kafka.security.protocol match their listener?)"));
            }
            return Optional.of(Reasons.of(cause));
        }
        // the bootstrap servers only hand out the brokers' advertised addresses, which the clients use from then on
        List<String> advertised = nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
        Optional<String> advertisedUnreachable = TcpProbe.whyNoneReachable(advertised);
        if (!advertised.isEmpty() && advertisedUnreachable.isPresent()) {
            return Optional.of("the cluster answers, but not at the addresses its brokers advertise ("
                    + String.join(", ", advertised) + ": " + advertisedUnreachable.get() + "); check the brokers'"
                    + " advertised.listeners");
        }
        LOG.info("Kafka at {} answers: {} broker(s)", servers, nodes.size());
        return Optional.empty();
    }

    /** Why no bootstrap server takes a connection, if none does. */
    private Optional<String> unreachableServers() {
        return TcpProbe.whyNoneReachable(Arrays.stream(servers.split(",")).map(String::trim).toList());
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
