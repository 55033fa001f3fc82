package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.framework.resource.Cancellation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.connection.channel.direct.Session;

/** Collects a remote command's output and feeds its input, each on a thread of its own. */
final class CommandStreams {
    private static final long POLL_MILLIS = 20;
    /** How long output may stay silent after the command exited before the call returns. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Daemon threads that move the bytes of commands' standard streams. */
    private static final ExecutorService STREAMS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ssh-stream");
        thread.setDaemon(true);
        return thread;
    });

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final AtomicLong progress = new AtomicLong();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(2);

    CommandStreams(Session.Command command, byte[] stdin) {
        STREAMS.execute(() -> drain(command.getInputStream(), stdout));
        STREAMS.execute(() -> drain(command.getErrorStream(), stderr));
        OutputStream input = command.getOutputStream();
        if (stdin.length == 0) {
            closeInput(input);
        } else {
            STREAMS.execute(() -> {
                try (input) {
                    input.write(stdin);
                    input.flush();
                } catch (IOException e) {
                    // The command stopped reading; what it made of its input shows in its result.
                }
            });
        }
    }

    private static void closeInput(OutputStream input) {
        try {
            input.close();
        } catch (IOException e) {
            // Reported by the command's result if it matters.
        }
    }

    private void drain(InputStream in, ByteArrayOutputStream sink) {
        byte[] buffer = new byte[32 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (sink) {
                    sink.write(buffer, 0, n);
                }
                progress.addAndGet(n);
            }
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        } finally {
            done.countDown();
        }
    }

    /** How waiting for a command ended. */
    enum Outcome {
        /** Its output ended (or it exited and its output fell silent). */
        FINISHED,
        /** The deadline passed first. */
        TIMED_OUT,
        /** The cancellation fired first. */
        CANCELLED
    }

    /**
     * Waits until both output streams end, the deadline passes or the cancellation fires. Like a
     * local process whose output goes to files, the call does not wait for a process that the
     * command left behind with the output still open: once the command has exited and its output
     * has been silent for a second, what has arrived is the result.
     */
    Outcome await(Session.Command command, long deadline, Cancellation cancellation) {
        long exitedAt = 0;
        long progressAtExit = -1;
        try {
            while (!done.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (cancellation.isCancelled()) {
                    return Outcome.CANCELLED;
                }
                if (now - deadline >= 0) {
                    return Outcome.TIMED_OUT;
                }
                if (command.getExitStatus() != null || command.getExitSignal() != null) {
                    long seen = progress.get();
                    if (seen != progressAtExit) {
                        exitedAt = now;
                        progressAtExit = seen;
                    } else if (now - exitedAt > LINGER_NANOS) {
                        return Outcome.FINISHED;
                    }
                }
            }
            return Outcome.FINISHED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.CANCELLED;
        }
    }

    /** The pid the shell reported, waiting up to {@code millis} for its line (it is the first thing the shell does). */
    Optional<Long> awaitGroupLeader(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Optional<Long> leader = groupLeader();
        while (leader.isEmpty() && done.getCount() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            leader = groupLeader();
        }
        return leader;
    }

    /** The first failure reading the output, or null. */
    IOException failure() {
        return failure.get();
    }

    byte[] stdout() {
        synchronized (stdout) {
            return stdout.toByteArray();
        }
    }

    /** The pid the shell reported, once its line has arrived. */
    Optional<Long> groupLeader() {
        String first = firstLine();
        return first != null && first.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(first)) : Optional.empty();
    }

    private String firstLine() {
        synchronized (stderr) {
            String text = stderr.toString(StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return end < 0 ? null : text.substring(0, end);
        }
    }

    /** Standard error without the line with the shell's pid. */
    byte[] stderrAfterPid() {
        synchronized (stderr) {
            byte[] all = stderr.toByteArray();
            int end = 0;
            while (end < all.length && all[end] != '\n') {
                end++;
            }
            return end < all.length ? Arrays.copyOfRange(all, end + 1, all.length) : all;
        }
    }
}
