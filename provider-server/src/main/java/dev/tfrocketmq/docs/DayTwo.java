package dev.tfrocketmq.docs;

import dev.tfrocketmq.process.KnownKeys;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/** The part of the provider's documentation about running a cluster after its first apply, from the key lists. */
final class DayTwo {
    private DayTwo() {}

    static String text() {
        List<String> versions = List.copyOf(KnownKeys.versions());
        StringBuilder sb = new StringBuilder();
        sb.append("## RocketMQ versions\n\n")
                .append("Supported: ")
                .append(String.join(
                        ", ", versions.stream().map(v -> "`" + v + "`").toList()))
                .append(". The provider reads the version from the names of the jars in `distribution` while planning ")
                .append(
                        "(attribute `rocketmq_version`; a URL once its download is cached, else at apply) and uses that ")
                .append("version's own lists, generated from its config classes when the provider is built: which ")
                .append("`properties` keys it reads (any other key is an error, since RocketMQ ignores unknown keys ")
                .append(
                        "silently), which it applies live, and its launch flags (4.x gets `--add-opens` for Java 17 and ")
                .append(
                        "its own `conf/logback_*.xml`; 5.x its logging configuration from its jars and a config request ")
                .append("right after start that makes it register at once). Another version works with a warning: its ")
                .append(
                        "`properties` go unchecked and every change restarts. A key the list lacks although the process ")
                .append("reads it (a plugin, a patched build) passes when `unchecked_keys` names it.\n\n")
                .append("## Changes: live or restart\n\n")
                .append(
                        "A plan compares the declared config with the config the running process reports (`getBrokerConfig`, ")
                .append("`getNameServerConfig`) and with the rendered file on the host (`conf/broker.conf`, ")
                .append("`conf/namesrv.properties`), so a change made by hand in either shows as a change back to the ")
                .append(
                        "declared value. Only declared keys and the keys documented here are written to those files.\n\n")
                .append("If every changed key is one the running version applies live, apply sends them with ")
                .append(
                        "`updateBrokerConfig` (or `updateNamesrvConfig`), reads the config back to check it, and writes the ")
                .append("file: no restart, and the plan keeps `pid`. Any other change restarts the process: the plan ")
                .append("shows `pid` as known after apply and a warning names the keys that force the restart. The ")
                .append(
                        "rendered file in `conf/` stays the source of truth: RocketMQ rewrites the file it was started ")
                .append("with on every config request, so the process runs from a copy in `run/` that each start ")
                .append("replaces.\n\n")
                .append(
                        "Keys applied live, by version (every other key takes effect at the next start; – : the version ")
                .append("has no such key):\n\n");
        table(sb, "Broker", versions, KnownKeys::broker);
        table(sb, "Name server", versions, KnownKeys::nameServer);
        sb.append("## Rolling restarts and upgrades\n\n")
                .append(
                        "Terraform applies independent resources in parallel; the provider orders the restarts itself:\n\n")
                .append(
                        "- the members of a broker group (one `cluster_name` and `broker_name`) never restart together;\n")
                .append(
                        "- slaves first: a master that restarts waits for the slaves of its group that restart in the same ")
                .append("apply, then stops taking writes (when another master of its cluster is registered, its write ")
                .append(
                        "permission is cleared so producers resend elsewhere) and waits until its slaves have replicated ")
                .append("its whole commit log (HA offsets) before it stops;\n")
                .append("- one master of a cluster at a time, so the others stay writable;\n")
                .append("- name servers of one apply restart one at a time.\n\n")
                .append(
                        "A new `distribution` upgrades in place: the new release is unpacked beside the old one and each ")
                .append(
                        "process restarts from it, in the order above, with the same directory, store and ports. Leave ")
                .append("out `depends_on` between masters and slaves: it would make Terraform apply masters first.\n\n")
                .append(
                        "A stop sends SIGTERM so RocketMQ runs its own shutdown, and ends it with SIGKILL once the store ")
                .append(
                        "has closed cleanly (its `abort` file removed) and the consumer offsets were written after that; ")
                .append("what RocketMQ does next is waiting for threads. A name server keeps nothing unwritten and is ")
                .append("stopped half a second after SIGTERM.\n\n")
                .append("## Checks across resources\n\n")
                .append(
                        "While planning, the provider sees every name server and broker of the configuration and refuses ")
                .append(
                        "what cannot run together, naming the attribute and the other resource: one port bound twice on ")
                .append(
                        "a host (a broker binds `listen_port`-2, `listen_port` and `listen_port`+1), two components in one ")
                .append(
                        "directory (home or store), two brokers with one `broker_name` and `broker_id` in a cluster. A ")
                .append(
                        "slave whose master is not in the configuration gets a warning (the master may live in another ")
                .append("state). What is unknown while planning is checked again at apply, before anything starts.\n");
        return sb.toString();
    }

    private static void table(
            StringBuilder sb, String title, List<String> versions, Function<String, Optional<KnownKeys>> lists) {
        SortedSet<String> keys = new TreeSet<>();
        for (String v : versions) {
            lists.apply(v).ifPresent(k -> keys.addAll(k.liveKeys()));
        }
        sb.append("| ").append(title).append(" key |");
        versions.forEach(v -> sb.append(' ').append(v).append(" |"));
        sb.append("\n|---|");
        versions.forEach(v -> sb.append("---|"));
        sb.append('\n');
        for (String key : keys) {
            sb.append("| `").append(key).append("` |");
            for (String v : versions) {
                Optional<KnownKeys> list = lists.apply(v);
                boolean known = list.map(k -> k.contains(key)).orElse(false);
                boolean live = list.map(k -> k.appliesLive(key)).orElse(false);
                sb.append(live ? " live |" : known ? " restart |" : " – |");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }
}
