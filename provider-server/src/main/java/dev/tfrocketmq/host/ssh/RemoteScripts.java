package dev.tfrocketmq.host.ssh;

/**
 * The constant scripts behind an SSH host's file operations. Paths and modes are positional arguments, so no string
 * from the configuration is ever part of a script's text.
 */
final class RemoteScripts {

    /** The exit status of {@link #READ} for a file that does not exist. */
    static final int MISSING = 100;

    /** $1 directory. */
    static final String MKDIR = "mkdir -p -- \"$1\"";

    /** $1 uploaded temporary file, $2 target. */
    static final String PLACE = """
      if chmod 644 -- "$1" && mv -f -- "$1" "$2"; then exit 0; fi
      rm -f -- "$1"
      exit 1
      """;

    /** $1 uploaded file in /tmp, $2 target: copied (root-owned) next to the target, renamed. */
    static final String SUDO_PLACE = """
      t="$2.upload-$$"
      d=$(dirname -- "$2") && mkdir -p -- "$d" && cp -- "$1" "$t" && chmod 644 -- "$t" \\
        && mv -f -- "$t" "$2"
      s=$?
      rm -f -- "$1"
      if [ "$s" -ne 0 ]; then rm -f -- "$t"; fi
      exit "$s"
      """;

    /** $1 target, $2 octal mode; content on standard input. */
    static final String WRITE = """
      d=$(dirname -- "$1") && mkdir -p -- "$d" || exit 1
      umask 077
      t="$1.tmp.$$"
      if cat >"$t" && chmod "$2" -- "$t" && mv -f -- "$t" "$1"; then exit 0; fi
      rm -f -- "$t"
      exit 1
      """;

    /** $1 file; exits with {@link #MISSING} when it does not exist. */
    static final String READ = """
      if [ ! -e "$1" ]; then exit 100; fi
      exec cat -- "$1"
      """;

    private RemoteScripts() {}
}
