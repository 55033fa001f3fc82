package dev.tfrocketmq.docs;

import dev.tfrocketmq.provider.KeyListings;
import java.util.List;

/** The part of the provider's documentation about running a cluster after its first apply, from the key lists. */
final class DayTwo {
    private static final String VERSIONS = """
            ## RocketMQ versions

            Supported: %s. The provider reads the version from the names of the jars in `distribution` while \
            planning (attribute `rocketmq_version`; a URL once its download is cached, else at apply) and uses that \
            version's own lists, generated from its config classes when the provider is built: which `properties` \
            keys it reads (any other key is an error, since RocketMQ ignores unknown keys silently), which it applies \
            live, and its launch flags (4.x gets `--add-opens` for Java 17 and its own `conf/logback_*.xml`; 5.x its \
            logging configuration from its jars and a config request right after start that makes it register at \
            once). Another version works with a warning: its `properties` go unchecked and every change restarts. A \
            key the list lacks although the process reads it (a plugin, a patched build) passes when \
            `unchecked_keys` names it.

            ## Changes: live or restart

            A plan compares the declared config with the config the running process reports (`getBrokerConfig`, \
            `getNameServerConfig`) and with the rendered file on the host (`conf/broker.conf`, \
            `conf/namesrv.properties`), so a change made by hand in either shows as a change back to the declared \
            value. Only declared keys and the keys documented here are written to those files.

            If every changed key is one the running version applies live, apply sends them with \
            `updateBrokerConfig` (or `updateNamesrvConfig`), reads the config back to check it, and writes the file: \
            no restart, and the plan keeps `pid`. Any other change restarts the process: the plan shows `pid` as \
            known after apply and a warning names the keys that force the restart. The rendered file in `conf/` stays \
            the source of truth: RocketMQ rewrites the file it was started with on every config request, so the \
            process runs from a copy in `run/` that each start replaces.

            Keys applied live, by version (every other key takes effect at the next start; – : the version has no \
            such key):

            """;

    private static final String ROLLING = """
            ## Rolling restarts and upgrades

            Terraform applies independent resources in parallel; the provider orders the restarts itself:

            - one broker of a cluster restarts at a time, so the members of a group never restart together and \
            neither do two masters; a restart keeps its turn until the broker's group is whole again (registered, \
            its slaves caught up with the master's commit log);
            - slaves first: a master that restarts waits for the slaves of its group that restart in the same apply, \
            and stops only once its slaves have replicated its whole commit log (HA offsets);
            - while a broker of a group is down, the group's master takes no new writes if another master of the \
            cluster is registered to take them: its write permission is cleared live, the name servers list its \
            queues read-only, and producers send elsewhere from their next route refresh (every 30 s by default); \
            until then a SYNC_MASTER without its slave answers SLAVE_NOT_AVAILABLE (stored, not yet replicated), and \
            sends to a stopped master are resent to another broker by the client. The master gets its permission \
            back when the group is whole;
            - name servers of one apply restart one at a time, and each asks the brokers it knew to register again at \
            once and waits for them, so no route goes missing (brokers register every 30 s on their own).

            A new `distribution` upgrades in place: the new release is unpacked beside the old one and each process \
            restarts from it, in the order above, with the same directory, store and ports. Leave out `depends_on` \
            between masters and slaves: it would make Terraform apply masters first.

            A stop sends SIGTERM so RocketMQ runs its own shutdown, and ends it with SIGKILL once that has written \
            everything: the store closed cleanly (its `abort` file removed) and the consumer offsets written (4.9.7 \
            and 5.3.3 write them after closing the store, 5.5.0 before); what RocketMQ does next is waiting for \
            threads. A name server keeps nothing unwritten and is stopped half a second after SIGTERM. RocketMQ's TLS \
            permissive mode, which makes a self-signed test certificate at every start, is off unless `jvm_options` \
            configure TLS.

            ## Checks across resources

            While planning, the provider sees every name server and broker of the configuration and refuses what \
            cannot run together, naming the attribute and the other resource: one port bound twice on a host (a \
            broker binds `listen_port`-2, `listen_port` and `listen_port`+1), two components in one directory (home \
            or store), two brokers with one `broker_name` and `broker_id` in a cluster. A slave whose master is not in \
            the configuration gets a warning (the master may live in another state). What is unknown while planning \
            is checked again at apply, before anything starts.
            """;

    private DayTwo() {}

    static String text() {
        List<String> versions = KeyListings.versions();
        StringBuilder sb = new StringBuilder(VERSIONS.formatted(
                String.join(", ", versions.stream().map(v -> "`" + v + "`").toList())));
        table(sb, "Broker", versions, KeyListings.Role.BROKER);
        table(sb, "Name server", versions, KeyListings.Role.NAME_SERVER);
        return sb.append(ROLLING).toString();
    }

    private static void table(StringBuilder sb, String title, List<String> versions, KeyListings.Role role) {
        sb.append("| ").append(title).append(" key |");
        versions.forEach(v -> sb.append(' ').append(v).append(" |"));
        sb.append("\n|---|");
        versions.forEach(v -> sb.append("---|"));
        sb.append('\n');
        for (String key : KeyListings.liveKeys(role)) {
            sb.append("| `").append(key).append("` |");
            for (String v : versions) {
                sb.append(
                        switch (KeyListings.use(role, v, key)) {
                            case LIVE -> " live |";
                            case RESTART -> " restart |";
                            case UNKNOWN -> " – |";
                        });
            }
            sb.append('\n');
        }
        sb.append('\n');
    }
}
