package dev.tfrocketmq.acceptance.harness;

import dev.tfrocketmq.testing.ExecResult;
import dev.tfrocketmq.testing.TestHosts;

/** The end of a suite on SSH test hosts. */
public final class SuiteTeardown {
    private SuiteTeardown() {}

    /**
     * {@code terraform destroy} (a failure is reported, not thrown, so the rest still runs), then the clients, then
     * the hosts themselves, whatever failed before. Null arguments are skipped.
     */
    public static void run(Terraform terraform, TestHosts hosts, AutoCloseable... clients) {
        try {
            if (terraform != null && hosts != null) {
                ExecResult destroy = terraform.destroy();
                if (!destroy.succeeded()) {
                    System.err.println("teardown: " + destroy.describe());
                }
            }
        } finally {
            try {
                for (AutoCloseable client : clients) {
                    if (client != null) {
                        try {
                            client.close();
                        } catch (Exception e) {
                            System.err.println("teardown: closing " + client + " failed: " + e);
                        }
                    }
                }
            } finally {
                if (hosts != null) {
                    hosts.close();
                }
            }
        }
    }
}
