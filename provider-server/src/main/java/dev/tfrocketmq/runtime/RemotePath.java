package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

/** Checks on absolute POSIX paths on a host. */
final class RemotePath {

    private RemotePath() {}

    /**
     * {@code path} without trailing slashes, after checking that it is absolute, has at least
     * {@code minComponents} components and no empty, "." or ".." components.
     */
    static String checkAbsolute(String what, String path, int minComponents) {
        requireNonNull(path, what);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be an absolute path: " + path);
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL or line breaks: " + path);
        }
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int components = 0;
        if (!trimmed.equals("/")) {
            for (String component : trimmed.substring(1).split("/", -1)) {
                if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                    throw new IllegalArgumentException(what + " must be a normalized path: " + path);
                }
                components++;
            }
        }
        if (components < minComponents) {
            throw new IllegalArgumentException(
                    what + " must have at least " + minComponents + " path components: " + path);
        }
        return trimmed;
    }
}
