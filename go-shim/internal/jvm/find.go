// Package jvm finds a suitable Java runtime and runs the provider's Java
// server as a child process: it checks the Java version, starts the JVM on a
// private unix socket, waits for it to report readiness, relays its output to
// the log and stops it when the shim is done.
package jvm

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
)

// MinMajor is the oldest Java feature release the server runs on.
const MinMajor = 17

// Java describes the runtime that will run the server.
type Java struct {
	Path    string // executable, as found
	Origin  string // how it was found: "JAVA_HOME=..." or "PATH"
	Version string // e.g. "17.0.15"; empty when it could not be determined
	Major   int    // e.g. 17; 0 when unknown
}

// advice ends every message about an unusable Java.
// It has no final period: Terraform adds one after the error text.
const advice = "Install a JDK 17+ and set JAVA_HOME to it, or put its bin directory on PATH"

func javaError(found string) error {
	return &fallback.Error{
		Summary: "terraform-provider-rocketmq needs Java 17 or newer",
		Detail:  found + ". " + advice,
	}
}

// Locate returns the java executable: $JAVA_HOME/bin/java when JAVA_HOME is
// set, else java from PATH.
func Locate(getenv func(string) string) (*Java, error) {
	if home := getenv("JAVA_HOME"); home != "" {
		path := filepath.Join(home, "bin", "java")
		fi, err := os.Stat(path)
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return nil, javaError(fmt.Sprintf("JAVA_HOME is %s, but %s is not an executable file", home, path))
		}
		return &Java{Path: path, Origin: "JAVA_HOME=" + home}, nil
	}
	path, err := exec.LookPath("java")
	if err != nil {
		return nil, javaError("JAVA_HOME is not set and no java executable was found on PATH")
	}
	return &Java{Path: path, Origin: "PATH"}, nil
}

// Home returns the installation directory of a java executable: the parent
// of the bin directory of the executable with symlinks resolved.
func Home(javaPath string) (string, error) {
	resolved, err := filepath.EvalSymlinks(javaPath)
	if err != nil {
		return "", err
	}
	return filepath.Dir(filepath.Dir(resolved)), nil
}

// Check locates Java and makes sure it is at least MinMajor. The version
// comes from the installation's release file, or from `java -version` when
// that file is missing. A runtime whose version cannot be determined at all
// is accepted: if it cannot run the server, its output will tell.
func Check(getenv func(string) string) (*Java, error) {
	j, err := Locate(getenv)
	if err != nil {
		return nil, err
	}
	if home, err := Home(j.Path); err == nil {
		if data, err := os.ReadFile(filepath.Join(home, "release")); err == nil {
			j.Version, _ = ParseRelease(string(data))
		}
	}
	if j.Version == "" {
		out, err := runVersion(j.Path)
		if err != nil {
			return nil, javaError(fmt.Sprintf("%s (from %s) does not run: %v", j.Path, j.Origin, err))
		}
		j.Version, _ = ParseVersionOutput(out)
	}
	if j.Version == "" {
		return j, nil
	}
	j.Major, err = Major(j.Version)
	if err != nil {
		return j, nil
	}
	if j.Major < MinMajor {
		return j, javaError(fmt.Sprintf("%s (from %s) is Java %s", j.Path, j.Origin, j.Version))
	}
	return j, nil
}

func runVersion(path string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-version").CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if len(msg) > 500 {
			msg = msg[:500] + "..."
		}
		if msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	return string(out), nil
}

// ParseRelease returns the JAVA_VERSION value of a JDK release file.
func ParseRelease(content string) (string, bool) {
	sc := bufio.NewScanner(strings.NewReader(content))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		value, ok := strings.CutPrefix(line, "JAVA_VERSION=")
		if !ok {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"'`)
		if value == "" {
			return "", false
		}
		return value, true
	}
	return "", false
}

var versionLine = regexp.MustCompile(`(?m)^\S+ version "([^"]+)"`)

// ParseVersionOutput returns the version in the output of `java -version`,
// e.g. "17.0.15" from `openjdk version "17.0.15" 2025-04-15`.
func ParseVersionOutput(out string) (string, bool) {
	m := versionLine.FindStringSubmatch(out)
	if m == nil {
		return "", false
	}
	return m[1], true
}

var leadingDigits = regexp.MustCompile(`^[0-9]+`)

// Major returns the feature release of a Java version string: 8 for
// "1.8.0_392", 11 for "11.0.2", 21 for "21" or "21-ea".
func Major(version string) (int, error) {
	v := strings.TrimSpace(version)
	if rest, ok := strings.CutPrefix(v, "1."); ok {
		v = rest
	}
	digits := leadingDigits.FindString(v)
	if digits == "" {
		return 0, errors.New("unrecognised Java version " + strconv.Quote(version))
	}
	return strconv.Atoi(digits)
}
