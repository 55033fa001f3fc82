package dev.tfrocketmq.admin;

import java.util.List;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;

/** Classifies admin-call failures; "does not exist" is never guessed from a connection error. */
public final class AdminErrors {
    /** ResponseCode.TOPIC_NOT_EXIST. */
    public static final int TOPIC_NOT_EXIST = 17;

    private AdminErrors() {}

    public static boolean isTopicNotExist(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MQClientException c && c.getResponseCode() == TOPIC_NOT_EXIST) {
                return true;
            }
            if (t instanceof MQBrokerException b && b.getResponseCode() == TOPIC_NOT_EXIST) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is one of reaching a server (refused, timed out, no channel), not an answer. */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RemotingConnectException
                    || t instanceof RemotingTimeoutException
                    || t instanceof RemotingSendRequestException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.contains("connect to null failed")) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #describe(Throwable)}, naming the name servers where the client library would say only that it could
     * connect to "null" (which it says when none of them answered).
     */
    public static String describe(Throwable e, List<String> nameServers) {
        String text = describe(e);
        if (text.contains("connect to null")) {
            return "none of the name servers " + nameServers + " could be reached (connection refused or timed out)";
        }
        return text;
    }

    /** One line naming what failed, without the stack. */
    public static String describe(Throwable e) {
        if (e instanceof RemotingConnectException) {
            return "connection refused or unreachable (" + e.getMessage() + ")";
        }
        if (e instanceof RemotingTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        if (e instanceof MQClientException c) {
            return "client error " + c.getResponseCode() + ": " + firstLine(c.getErrorMessage());
        }
        if (e instanceof MQBrokerException b) {
            return "broker error " + b.getResponseCode() + ": " + firstLine(b.getErrorMessage());
        }
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
