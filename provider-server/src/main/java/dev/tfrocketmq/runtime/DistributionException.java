package dev.tfrocketmq.runtime;

/** A distribution archive could not be found, fetched, verified or installed. */
public final class DistributionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DistributionException(String message) {
        super(message);
    }

    public DistributionException(String message, Throwable cause) {
        super(message, cause);
    }
}
