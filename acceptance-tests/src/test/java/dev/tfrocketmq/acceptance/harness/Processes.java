package dev.tfrocketmq.acceptance.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds and kills processes through /proc (Linux only). */
public final class Processes {
    private static final Path PROC = Path.of("/proc");

    private Processes() {}

    /** A process and its command line, arguments joined by spaces. */
    public record Info(long pid, String cmdline) {
        @Override
        public String toString() {
            return pid + " " + (cmdline.length() > 300 ? cmdline.substring(0, 300) + "..." : cmdline);
        }
    }

    /** Live processes, other than this JVM, whose command line contains {@code fragment}. */
    public static List<Info> mentioning(String fragment) {
        long self = ProcessHandle.current().pid();
        List<Info> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid;
                try {
                    pid = Long.parseLong(entry.getFileName().toString());
                } catch (NumberFormatException notAProcess) {
                    continue;
                }
                if (pid == self) {
                    continue;
                }
                cmdline(pid).filter(c -> c.contains(fragment)).ifPresent(c -> found.add(new Info(pid, c)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + PROC, e);
        }
        return found;
    }

    /** Processes running anything from inside {@code dir}, including Terraform's provider plugins. */
    public static List<Info> mentioningDir(Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        String exact = dir.toAbsolutePath().normalize().toString();
        List<Info> found = new ArrayList<>();
        for (Info info : mentioning(exact)) {
            if (info.cmdline().contains(prefix) || endsWithWord(info.cmdline(), exact)) {
                found.add(info);
            }
        }
        return found;
    }

    /**
     * Processes started from {@code workdir} other than the provider plugins that Terraform runs from
     * {@code <workdir>/.terraform/}: the RocketMQ components, their launch scripts, or anything a bad value ran.
     */
    public static List<Info> runningFrom(Path workdir) {
        String plugins = workdir.toAbsolutePath().normalize() + "/.terraform/";
        return mentioningDir(workdir).stream()
                .filter(i -> !i.cmdline().contains(plugins))
                .toList();
    }

    /** The command line of a live process; empty when it is gone, a zombie, or a kernel thread. */
    public static Optional<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(pid + "/cmdline"));
            if (raw.length == 0) {
                return Optional.empty();
            }
            int end = raw.length;
            while (end > 0 && raw[end - 1] == 0) {
                end--;
            }
            return Optional.of(new String(raw, 0, end, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** True when the process exists and has not exited; a zombie that nobody reaped counts as dead. */
    public static boolean isAlive(long pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8);
            // the state letter follows the command name, which is in parentheses and may itself hold ") "
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (IOException gone) {
            return false;
        }
    }

    /** Sends SIGKILL to one process. */
    public static void kill9(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("refusing to kill this JVM");
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGKILLs every process started from {@code dir} (see {@link #mentioningDir}) and returns what it killed. */
    public static List<Info> killAllFrom(Path dir) {
        List<Info> victims = mentioningDir(dir);
        victims.forEach(v -> kill9(v.pid()));
        return victims;
    }

    private static boolean endsWithWord(String cmdline, String word) {
        return cmdline.endsWith(word) || cmdline.contains(word + " ");
    }
}
