// Package backend finds, starts and attaches to the warm Java backend that
// serves every launcher of one OS user and one provider build.
//
// The backend is identified by a digest of what it runs: the content of the
// jars (from the manifest the build writes next to them), the java binary and
// the JVM options. It listens on a unix socket named after that digest in a
// directory only the user can enter; the first launcher that finds no backend
// starts one, detached, under a lock, and later launchers attach to it. A new
// build of the provider has another digest, so it never talks to an old
// backend; old backends exit on their own when idle.
package backend

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/jvm"
)

// ManifestName is the file in lib/ that lists the build's jars.
const ManifestName = "build.manifest"

// SchemaSnapshotName is the file in lib/ holding the backend's
// GetProviderSchema answer, written by the build.
const SchemaSnapshotName = "provider-schema.pb"

// Jar is one line of the manifest: "<sha256> <size> <name>".
type Jar struct {
	SHA256 string
	Size   int64
	Name   string
}

// Build is the installed provider's jars as the manifest describes them.
type Build struct {
	LibDir   string
	Jars     []Jar
	manifest []byte
}

// ReadBuild reads lib/build.manifest under dir and checks that every jar it
// names is present with the recorded size (a cheap guard against a
// half-copied installation; the content digests come from the build).
func ReadBuild(dir string) (*Build, error) {
	lib := filepath.Join(dir, "lib")
	data, err := os.ReadFile(filepath.Join(lib, ManifestName))
	if err != nil {
		return nil, incomplete(lib, fmt.Sprintf("its manifest %s cannot be read: %v", ManifestName, err))
	}
	b := &Build{LibDir: lib, manifest: data}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 3 || len(fields[0]) != 64 || strings.ContainsAny(fields[2], "/\\") {
			return nil, incomplete(lib, fmt.Sprintf("%s has a malformed line %q", ManifestName, sc.Text()))
		}
		size, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return nil, incomplete(lib, fmt.Sprintf("%s has a malformed size in %q", ManifestName, sc.Text()))
		}
		b.Jars = append(b.Jars, Jar{SHA256: fields[0], Size: size, Name: fields[2]})
	}
	if len(b.Jars) == 0 {
		return nil, incomplete(lib, ManifestName+" lists no jars")
	}
	for _, j := range b.Jars {
		fi, err := os.Stat(filepath.Join(lib, j.Name))
		if err != nil || fi.Size() != j.Size {
			return nil, incomplete(lib, fmt.Sprintf("%s is missing or has another size than the build recorded", j.Name))
		}
	}
	return b, nil
}

func incomplete(lib, what string) error {
	return &fallback.Error{
		Summary: "terraform-provider-rocketmq is incompletely installed",
		Detail:  fmt.Sprintf("In %s, %s. Reinstall the provider (terraform init -upgrade)", lib, what),
	}
}

// Digest identifies a backend: the build's jars, the java that runs them
// (path, size, modification time and version, so an upgraded JDK counts as
// another) and the JVM options.
func Digest(b *Build, java *jvm.Java, opts []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "manifest\n%s\n", b.manifest)
	resolved, err := filepath.EvalSymlinks(java.Path)
	if err != nil {
		resolved = java.Path
	}
	fmt.Fprintf(h, "java\n%s\n%s\n", resolved, java.Version)
	if fi, err := os.Stat(resolved); err == nil {
		fmt.Fprintf(h, "%d %d\n", fi.Size(), fi.ModTime().UnixNano())
	}
	fmt.Fprintf(h, "options\n%s\n", strings.Join(opts, "\x00"))
	return hex.EncodeToString(h.Sum(nil))
}
