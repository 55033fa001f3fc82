package logs

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var stampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$`)

type entry struct {
	Level     string `json:"@level"`
	Message   string `json:"@message"`
	Module    string `json:"@module"`
	Timestamp string `json:"@timestamp"`
}

func decode(t *testing.T, line []byte) entry {
	t.Helper()
	if !bytes.HasSuffix(line, []byte("\n")) || bytes.Count(line, []byte("\n")) != 1 {
		t.Fatalf("not exactly one line: %q", line)
	}
	var e entry
	if err := json.Unmarshal(line, &e); err != nil {
		t.Fatalf("not JSON: %q: %v", line, err)
	}
	if !stampRE.MatchString(e.Timestamp) {
		t.Fatalf("timestamp %q lacks six fractional digits", e.Timestamp)
	}
	if _, err := time.Parse(TimeFormat, e.Timestamp); err != nil {
		t.Fatal(err)
	}
	if !IsHCLogJSON(line) {
		t.Fatalf("own output not accepted as hclog JSON: %q", line)
	}
	return e
}

func TestFormatLineExact(t *testing.T) {
	ts := time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC) // 8 µs
	got := string(FormatLine(ts, Info, "rocketmq.shim", `a "quoted" <msg>`, "n", 3, "err", errFake{}))
	want := `{"@level":"info","@message":"a \"quoted\" <msg>","@module":"rocketmq.shim","@timestamp":"2025-03-04T05:06:07.000008Z","n":3,"err":"fake"}` + "\n"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	zone := time.FixedZone("x", 2*3600)
	e := decode(t, FormatLine(time.Date(2025, 3, 4, 5, 6, 7, 0, zone), Debug, "m", "x"))
	if e.Timestamp != "2025-03-04T05:06:07.000000+02:00" {
		t.Fatalf("timestamp %q", e.Timestamp)
	}
}

type errFake struct{}

func (errFake) Error() string { return "fake" }

func TestWrapPassesHCLogJSONThrough(t *testing.T) {
	line := `{"@level":"debug","@message":"hello","@timestamp":"2006-01-02T15:04:05.000000-07:00","@module":"rocketmq.server","x": {"y":[1,2]}}`
	if got := Wrap([]byte(line+"\r\n"), "rocketmq.jvm", time.Now()); string(got) != line+"\n" {
		t.Fatalf("changed: %s", got)
	}
	noStamp := `{"@message":"m"}`
	if got := Wrap([]byte(noStamp), "rocketmq.jvm", time.Now()); string(got) != noStamp+"\n" {
		t.Fatalf("changed: %s", got)
	}
}

func TestWrapRejectsJSONTerraformCannotRead(t *testing.T) {
	for _, line := range []string{
		`{"@level":"debug","@message":"x","@timestamp":"2006-01-02T15:04:05.000Z"}`, // three digits
		`{"@level":"debug","@message":"x","@timestamp":"2006-01-02T15:04:05Z"}`,
		`{"@message":5}`,
		`{"@level":null}`,
		`["not","an","object"]`,
		`{"broken":`,
	} {
		e := decode(t, Wrap([]byte(line), "rocketmq.jvm", time.Now()))
		if e.Message != line || e.Level != Debug || e.Module != "rocketmq.jvm" {
			t.Errorf("%s wrapped as %+v", line, e)
		}
	}
}

func TestWrapPlainLines(t *testing.T) {
	ts := time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC)
	cases := []struct{ in, level, msg string }{
		{"plain text", Debug, "plain text"},
		{"[TRACE] t", Trace, "t"},
		{"[DEBUG] d", Debug, "d"},
		{"[INFO] i", Info, "i"},
		{"[WARN]  w", Warn, " w"},
		{"[ERROR]e", Error, "e"},
		{"panic: oops", Error, "panic: oops"},
		{"fatal error: oops", Error, "fatal error: oops"},
		{"  [INFO] not a prefix", Debug, "  [INFO] not a prefix"},
		{"Exception in thread \"main\" java.lang.Error\r", Debug, "Exception in thread \"main\" java.lang.Error"},
		{"", Debug, ""},
	}
	for _, c := range cases {
		got := Wrap([]byte(c.in), "rocketmq.jvm", ts)
		e := decode(t, got)
		if e.Level != c.level || e.Message != c.msg || e.Module != "rocketmq.jvm" || e.Timestamp != "2025-01-02T03:04:05.123456Z" {
			t.Errorf("%q -> %+v", c.in, e)
		}
	}
	// Invalid UTF-8 still yields valid JSON.
	e := decode(t, Wrap([]byte("bad \xff byte"), "m", ts))
	if !strings.HasPrefix(e.Message, "bad ") {
		t.Errorf("got %q", e.Message)
	}
}

func TestMessage(t *testing.T) {
	if got := Message([]byte(`{"@level":"error","@message":"boom","@timestamp":"2006-01-02T15:04:05.000000Z"}`)); got != "[ERROR] boom" {
		t.Errorf("got %q", got)
	}
	if got := Message([]byte("plain\n")); got != "plain" {
		t.Errorf("got %q", got)
	}
}

func TestLoggerLinesDoNotInterleave(t *testing.T) {
	var buf bytes.Buffer
	l := New(NewSink(&buf), "rocketmq.shim")
	other := l.Named("rocketmq.jvm")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				l.Debug(strings.Repeat("x", 500), "j", j)
				other.Forward([]byte("[WARN] " + strings.Repeat("y", 500)))
			}
		}()
	}
	wg.Wait()
	lines := strings.SplitAfter(buf.String(), "\n")
	lines = lines[:len(lines)-1]
	if len(lines) != 800 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, line := range lines {
		e := decode(t, []byte(line))
		if (e.Module == "rocketmq.jvm") != (e.Level == Warn) {
			t.Fatalf("mixed up: %+v", e)
		}
	}
}
