package dev.tfrocketmq.framework.diag;

/** How bad a diagnostic is. Terraform stops on errors and prints warnings. */
public enum Severity {
    ERROR,
    WARNING
}
