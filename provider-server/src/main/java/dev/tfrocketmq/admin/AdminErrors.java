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

    /** ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST. */
    public static final int SUBSCRIPTION_GROUP_NOT_EXIST = 26;
    /** ResponseCode.NO_PERMISSION: what a broker with authentication or authorization on answers a refused request. */
    public static final int NO_PERMISSION = 16;

    private AdminErrors() {}

    /** Whether the broker reported that the subscription group does not exist. */
    public static boolean isGroupNotExist(Throwable e) {
        return hasCode(e, SUBSCRIPTION_GROUP_NOT_EXIST);
    }

    /**
     * Whether a broker refused the request's credentials or their permissions: never a sign that anything is gone.
     */
    public static boolean isAccessDenied(Throwable e) {
        if (hasCode(e, NO_PERMISSION)) {
            // The same code also says "no such user/subject" and "already exists" for user and ACL requests.
            return !isAuthObjectMissing(e) && !messageContains(e, "is existed");
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null
                    && (m.contains("AuthenticationException")
                            || m.contains("AuthorizationException")
                            || m.contains("authentication")
                            || m.contains("has no permission"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a broker answered a user or ACL request with "the user / subject does not exist": a definite answer that
     * the object is not there (RocketMQ 5.3 reports it with the NO_PERMISSION code and this text).
     */
    public static boolean isAuthObjectMissing(Throwable e) {
        return hasCode(e, NO_PERMISSION) && messageContains(e, "is not exist");
    }

    private static boolean messageContains(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCode(Throwable e, int code) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MQClientException c && c.getResponseCode() == code) {
                return true;
            }
            if (t instanceof MQBrokerException b && b.getResponseCode() == code) {
                return true;
            }
        }
        return false;
    }

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

    /** One line naming what failed, without the stack; a refusal of the credentials says what to check. */
    public static String describe(Throwable e) {
        String line = describeOnly(e);
        if (isAccessDenied(e)) {
            return line + " (the broker refused the provider's credentials or their permissions: check access_key and "
                    + "secret_key in the provider block, or ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY; the admin "
                    + "user must be a super user)";
        }
        return line;
    }

    private static String describeOnly(Throwable e) {
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
