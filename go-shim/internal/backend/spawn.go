package backend

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/jvm"
)

const (
	// Mode chooses how the launcher reaches Java: "shared" (the default, a
	// warm backend for all launchers of this user and build) or "process"
	// (a JVM of its own that exits with the launcher).
	Mode = "TF_ROCKETMQ_BACKEND"
	// ModeProcess is the opt-out value of Mode.
	ModeProcess = "process"

	archiveName    = "backend.jsa"
	newArchiveName = "backend.jsa.new"
	maxLogBytes    = 10 << 20
)

// SharedMode reports whether the environment asks for the shared backend.
func SharedMode(getenv func(string) string) bool {
	return strings.TrimSpace(getenv(Mode)) != ModeProcess
}

// IdleTimeout is the idle time from IdleEnv, or DefaultIdle.
func IdleTimeout(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv(IdleEnv))
	if v == "" {
		return DefaultIdle, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive duration such as 30m or 2h", IdleEnv, v)
	}
	return d, nil
}

// spawn starts a detached backend for p: its own session and process group,
// stdin from /dev/null, stdout and stderr to its log file in the cache, the
// jars from the cache (so it does not depend on the directory Terraform
// installed the provider in, and class-data sharing can key on stable files).
// It returns a channel closed when the process exits.
func (s *Shared) spawn(java *jvm.Java, build *Build, p paths) (*exec.Cmd, <-chan struct{}, error) {
	idle, err := IdleTimeout(s.opts.Getenv)
	if err != nil {
		return nil, nil, err
	}
	lib, jars, err := cachedLib(build, p.cache)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot prepare %s: %w", p.cache, err)
	}
	logFile, err := openLog(filepath.Join(p.cache, "backend.log"))
	if err != nil {
		return nil, nil, err
	}
	defer logFile.Close()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		return nil, nil, err
	}
	defer devNull.Close()

	args := append([]string{}, jvm.BaseOptions...)
	args = append(args, sharedOptions...)
	args = append(args, archiveOptions(p.cache)...)
	args = append(args, s.opts.ExtraOpts...)
	// The class path goes in an argument file: the command line stays short
	// enough to read in ps, and still names the socket.
	argFile := filepath.Join(p.cache, "classpath.args")
	if err := os.WriteFile(argFile, []byte("-cp "+strings.Join(jars, string(os.PathListSeparator))+"\n"), 0o600); err != nil {
		return nil, nil, err
	}
	args = append(args, "@"+argFile, jvm.MainClass,
		"--socket", p.socket, "--build", p.digest, "--idle-timeout", idle.String(), "--build-files", lib)
	sweep(filepath.Dir(p.socket))
	_ = os.Remove(p.socket)
	cmd := exec.Command(java.Path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devNull, logFile, logFile
	cmd.Dir = p.cache
	cmd.Env = backendEnvironment(os.Environ())
	// Its own session: no terminal, no signal meant for the launcher's
	// process group, and nothing of the launcher's is held open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	s.log.Debug("starting shared Java backend", "command", java.Path+" "+strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(p.pid, []byte(fmt.Sprintf("%d\n", cmd.Process.Pid)), 0o600); err != nil {
		s.log.Warn("cannot record the backend's pid", "error", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	return cmd, exited, nil
}

// backendEnvironment is the launcher's environment without Terraform input
// variables and the provider's admin credentials: the backend outlives this
// launcher, and each session hands it the credentials it presents.
func backendEnvironment(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "TF_VAR_") && !strings.HasPrefix(kv, "ROCKETMQ_ACCESS_KEY=") &&
			!strings.HasPrefix(kv, "ROCKETMQ_SECRET_KEY=") {
			out = append(out, kv)
		}
	}
	return out
}

// archiveOptions use the class-data archive of this build once one exists;
// until then the backend records one when it exits. The archive is keyed by
// the cached jars, which never change, so it stays valid for the build.
func archiveOptions(cache string) []string {
	archive := filepath.Join(cache, archiveName)
	if _, err := os.Stat(archive); err != nil {
		// A backend that exited left a new archive: adopt it.
		_ = os.Rename(filepath.Join(cache, newArchiveName), archive)
	}
	if fi, err := os.Stat(archive); err == nil && fi.Size() > 0 {
		return []string{"-XX:SharedArchiveFile=" + archive}
	}
	return []string{"-XX:ArchiveClassesAtExit=" + filepath.Join(cache, newArchiveName)}
}

// cachedLib makes sure cache/lib holds the build's jars (hard links where
// the file system allows, else copies) and returns it with the jar paths in
// manifest order.
func cachedLib(build *Build, cache string) (string, []string, error) {
	lib := filepath.Join(cache, "lib")
	jars := make([]string, len(build.Jars))
	complete := true
	for i, j := range build.Jars {
		jars[i] = filepath.Join(lib, j.Name)
		if fi, err := os.Stat(jars[i]); err != nil || fi.Size() != j.Size {
			complete = false
		}
	}
	if complete {
		return lib, jars, nil
	}
	if err := os.MkdirAll(cache, 0o700); err != nil {
		return "", nil, err
	}
	tmp, err := os.MkdirTemp(cache, "lib-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(tmp)
	for _, j := range build.Jars {
		if err := linkOrCopy(filepath.Join(build.LibDir, j.Name), filepath.Join(tmp, j.Name)); err != nil {
			return "", nil, err
		}
	}
	_ = os.RemoveAll(lib)
	// An archive recorded from other files is useless now.
	_ = os.Remove(filepath.Join(cache, archiveName))
	_ = os.Remove(filepath.Join(cache, newArchiveName))
	if err := os.Rename(tmp, lib); err != nil {
		return "", nil, err
	}
	return lib, jars, nil
}

func linkOrCopy(from, to string) error {
	if err := os.Link(from, to); err == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// openLog opens the backend's log for appending, moving a log that grew
// past maxLogBytes aside first.
func openLog(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxLogBytes {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil && errors.Is(err, os.ErrPermission) {
		return nil, fmt.Errorf("cannot write the backend log %s: %w", path, err)
	}
	return f, err
}

// sweep removes the pid files and sockets of backends that are no longer
// running (killed, or stopped before they could clean up).
func sweep(runDir string) {
	files, _ := filepath.Glob(filepath.Join(runDir, "*.pid"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) == nil {
			continue
		}
		base := strings.TrimSuffix(file, ".pid")
		_ = os.Remove(base + ".sock")
		_ = os.Remove(file)
	}
}
