package backend

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// socketPathMax keeps socket paths under Linux's 108-byte sun_path limit.
const socketPathMax = 100

// socketNameLen is the length of a socket's file name: 24 hex digits of the
// digest and ".sock".
const socketNameLen = 24 + len(".sock")

// RuntimeDir returns the directory for sockets, locks and pid files: private
// to this user (mode 0700, owned by the user), created if missing. It is
// $XDG_RUNTIME_DIR/tfrocketmq when that is set and short enough, else
// /tmp/tfrocketmq-<uid>. An existing directory with other permissions or
// another owner is refused, never repaired.
func RuntimeDir(getenv func(string) string) (string, error) {
	uid := os.Getuid()
	dir := fmt.Sprintf("/tmp/tfrocketmq-%d", uid)
	if xdg := getenv("XDG_RUNTIME_DIR"); xdg != "" && filepath.IsAbs(xdg) {
		candidate := filepath.Join(xdg, "tfrocketmq")
		fi, err := os.Stat(xdg)
		if err == nil && fi.IsDir() && len(candidate)+len("/")+socketNameLen <= socketPathMax {
			dir = candidate
		}
	}
	if err := PrivateDir(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// PrivateDir makes sure dir exists, is a directory (not a link), belongs to
// this user and has mode 0700.
func PrivateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s belongs to another user", dir)
	}
	if fi.Mode().Perm() != 0o700 {
		return fmt.Errorf("%s has mode %o; it must be 0700 (only its owner may enter)", dir, fi.Mode().Perm())
	}
	return nil
}

// CacheDir returns where builds are kept for backends to run from:
// $XDG_CACHE_HOME/terraform-provider-rocketmq, else
// ~/.cache/terraform-provider-rocketmq.
func CacheDir(getenv func(string) string) (string, error) {
	base := getenv("XDG_CACHE_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home := getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", errors.New("neither XDG_CACHE_HOME nor HOME is set")
			}
		}
		base = filepath.Join(home, ".cache")
	}
	dir := filepath.Join(base, "terraform-provider-rocketmq")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir, nil
}
