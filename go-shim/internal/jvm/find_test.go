package jvm

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
)

func TestParseRelease(t *testing.T) {
	cases := map[string]string{
		"IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6\"\nJAVA_VERSION=\"17.0.15\"\nJAVA_VERSION_DATE=\"2025-04-15\"\n": "17.0.15",
		"JAVA_VERSION=\"21\"\nOS_NAME=\"Linux\"\n":                  "21",
		"JAVA_VERSION=\"11.0.2\"\r\n":                               "11.0.2",
		"JAVA_VERSION=\"1.8.0_392\"\nOS_ARCH=\"amd64\"\n":           "1.8.0_392",
		"  JAVA_VERSION='22-ea'\n":                                  "22-ea",
		"JAVA_RUNTIME_VERSION=\"17.0.15+6\"\nJAVA_VERSION_DATE=x\n": "",
		"": "",
	}
	for in, want := range cases {
		got, ok := ParseRelease(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseRelease(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestParseVersionOutput(t *testing.T) {
	cases := []struct{ out, version string }{
		{"openjdk version \"1.8.0_392\"\nOpenJDK Runtime Environment (Temurin)(build 1.8.0_392-b08)\nOpenJDK 64-Bit Server VM (Temurin)(build 25.392-b08, mixed mode)\n", "1.8.0_392"},
		{"java version \"1.8.0_392\"\nJava(TM) SE Runtime Environment (build 1.8.0_392-b08)\n", "1.8.0_392"},
		{"openjdk version \"11.0.2\" 2019-01-15\nOpenJDK Runtime Environment 18.9 (build 11.0.2+9)\n", "11.0.2"},
		{"openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment Temurin-17.0.15+6 (build 17.0.15+6)\n", "17.0.15"},
		{"Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version \"21\" 2023-09-19\nOpenJDK Runtime Environment (build 21+35-2513)\n", "21"},
		{"Error: could not open `/x/lib/jvm.cfg'\n", ""},
	}
	for _, c := range cases {
		got, ok := ParseVersionOutput(c.out)
		if got != c.version || ok != (c.version != "") {
			t.Errorf("ParseVersionOutput(%q) = %q, %v; want %q", c.out, got, ok, c.version)
		}
	}
}

func TestMajor(t *testing.T) {
	cases := map[string]int{"1.8.0_392": 8, "11.0.2": 11, "17.0.15": 17, "21": 21, "22-ea": 22, "17.0.15+6": 17, "9": 9, "1.7.0": 7}
	for in, want := range cases {
		got, err := Major(in)
		if err != nil || got != want {
			t.Errorf("Major(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := Major("banana"); err == nil {
		t.Error("Major(banana) succeeded")
	}
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func wantJavaError(t *testing.T, err error, parts ...string) {
	t.Helper()
	var fe *fallback.Error
	if !errors.As(err, &fe) {
		t.Fatalf("want *fallback.Error, got %v", err)
	}
	if fe.Summary != "terraform-provider-rocketmq needs Java 17 or newer" {
		t.Errorf("summary %q", fe.Summary)
	}
	for _, p := range append(parts, "JAVA_HOME", "Install a JDK 17+") {
		if !strings.Contains(fe.Error(), p) {
			t.Errorf("%q lacks %q", fe.Error(), p)
		}
	}
}

func TestCheckReleaseFile(t *testing.T) {
	home := t.TempDir()
	// The script would fail if run: the release file must be enough.
	writeScript(t, filepath.Join(home, "bin", "java"), "exit 99\n")
	if err := os.WriteFile(filepath.Join(home, "release"), []byte("JAVA_VERSION=\"17.0.15\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := Check(env(map[string]string{"JAVA_HOME": home}))
	if err != nil {
		t.Fatal(err)
	}
	if j.Major != 17 || j.Version != "17.0.15" || j.Path != filepath.Join(home, "bin", "java") {
		t.Fatalf("got %+v", j)
	}

	if err := os.WriteFile(filepath.Join(home, "release"), []byte("JAVA_VERSION=\"11.0.2\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Check(env(map[string]string{"JAVA_HOME": home}))
	wantJavaError(t, err, "Java 11.0.2", home)
}

func TestCheckFollowsSymlinksToRelease(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "jdk-21")
	writeScript(t, filepath.Join(real, "bin", "java"), "exit 99\n")
	if err := os.WriteFile(filepath.Join(real, "release"), []byte("JAVA_VERSION=\"21\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pathDir := filepath.Join(root, "usr-bin")
	if err := os.MkdirAll(pathDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "bin", "java"), filepath.Join(pathDir, "java")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", pathDir)
	j, err := Check(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if j.Major != 21 || j.Origin != "PATH" {
		t.Fatalf("got %+v", j)
	}
}

func TestCheckRunsJavaVersionWithoutRelease(t *testing.T) {
	home := t.TempDir()
	writeScript(t, filepath.Join(home, "bin", "java"), `echo 'openjdk version "1.8.0_392"' >&2`+"\n")
	_, err := Check(env(map[string]string{"JAVA_HOME": home}))
	wantJavaError(t, err, "Java 1.8.0_392")

	writeScript(t, filepath.Join(home, "bin", "java"), `echo 'openjdk version "21" 2023-09-19' >&2`+"\n")
	j, err := Check(env(map[string]string{"JAVA_HOME": home}))
	if err != nil || j.Major != 21 {
		t.Fatalf("got %+v, %v", j, err)
	}

	writeScript(t, filepath.Join(home, "bin", "java"), "echo 'broken install' >&2; exit 1\n")
	_, err = Check(env(map[string]string{"JAVA_HOME": home}))
	wantJavaError(t, err, "broken install")
}

func TestCheckMissingJava(t *testing.T) {
	home := t.TempDir()
	_, err := Check(env(map[string]string{"JAVA_HOME": home}))
	wantJavaError(t, err, filepath.Join(home, "bin", "java"))

	t.Setenv("PATH", t.TempDir())
	_, err = Check(env(nil))
	wantJavaError(t, err, "not set", "PATH")
}
