// Package logs writes hclog-style JSON log lines, the format Terraform
// parses on a provider's stderr, and turns arbitrary text lines (such as the
// Java backend's stderr) into such lines.
package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// TimeFormat is the only @timestamp layout Terraform accepts: exactly six
// fractional digits. Any other layout makes the whole line count as text.
const TimeFormat = "2006-01-02T15:04:05.000000Z07:00"

// Levels understood by Terraform, lowest first.
const (
	Trace = "trace"
	Debug = "debug"
	Info  = "info"
	Warn  = "warn"
	Error = "error"
)

// DupStderr returns a new file for the process's current fd 2. Writes to it
// keep reaching the real stderr after os.Stderr is replaced by another file.
// When the dup fails, os.Stderr itself is returned.
func DupStderr() *os.File {
	fd, err := syscall.Dup(2)
	if err != nil {
		return os.Stderr
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "/dev/stderr")
}

// Sink serialises whole lines onto one writer, so lines from several
// goroutines (and from several loggers) never interleave.
type Sink struct {
	mu sync.Mutex
	w  io.Writer
}

// NewSink returns a Sink writing to w.
func NewSink(w io.Writer) *Sink { return &Sink{w: w} }

// Write writes p in a single call under the sink's lock. It is meant for
// producers that hand over complete lines, such as an hclog logger.
func (s *Sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Logger writes JSON lines with a fixed @module to a Sink.
type Logger struct {
	sink   *Sink
	module string
	now    func() time.Time
}

// New returns a logger for module writing to sink.
func New(sink *Sink, module string) *Logger {
	return &Logger{sink: sink, module: module, now: time.Now}
}

// Named returns a logger sharing l's sink with a different @module.
func (l *Logger) Named(module string) *Logger {
	return &Logger{sink: l.sink, module: module, now: l.now}
}

// Sink returns the sink the logger writes to.
func (l *Logger) Sink() *Sink { return l.sink }

// Log writes one line at level with msg and optional key/value pairs.
func (l *Logger) Log(level, msg string, kv ...any) {
	_, _ = l.sink.Write(FormatLine(l.now(), level, l.module, msg, kv...))
}

// Trace logs at trace level.
func (l *Logger) Trace(msg string, kv ...any) { l.Log(Trace, msg, kv...) }

// Debug logs at debug level.
func (l *Logger) Debug(msg string, kv ...any) { l.Log(Debug, msg, kv...) }

// Info logs at info level.
func (l *Logger) Info(msg string, kv ...any) { l.Log(Info, msg, kv...) }

// Warn logs at warn level.
func (l *Logger) Warn(msg string, kv ...any) { l.Log(Warn, msg, kv...) }

// Error logs at error level.
func (l *Logger) Error(msg string, kv ...any) { l.Log(Error, msg, kv...) }

// Forward writes a line produced by another program: an hclog JSON line is
// copied verbatim, anything else is wrapped by Wrap with l's module.
func (l *Logger) Forward(line []byte) {
	_, _ = l.sink.Write(Wrap(line, l.module, l.now()))
}

// FormatLine renders one JSON log line, newline included. Keys of kv must be
// strings (others are formatted with %v); errors are logged by their text.
func FormatLine(t time.Time, level, module, msg string, kv ...any) []byte {
	var b bytes.Buffer
	b.WriteString(`{"@level":`)
	writeJSON(&b, level)
	b.WriteString(`,"@message":`)
	writeJSON(&b, msg)
	if module != "" {
		b.WriteString(`,"@module":`)
		writeJSON(&b, module)
	}
	b.WriteString(`,"@timestamp":`)
	writeJSON(&b, t.Format(TimeFormat))
	for i := 0; i < len(kv); i += 2 {
		key, ok := kv[i].(string)
		if !ok {
			key = fmt.Sprint(kv[i])
		}
		if strings.HasPrefix(key, "@") {
			key = "_" + key
		}
		var val any = "(missing)"
		if i+1 < len(kv) {
			val = kv[i+1]
		}
		switch v := val.(type) {
		case error:
			val = v.Error()
		case fmt.Stringer:
			val = v.String()
		}
		b.WriteByte(',')
		writeJSON(&b, key)
		b.WriteByte(':')
		writeJSON(&b, val)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		_ = enc.Encode(fmt.Sprint(v))
	}
	// Encode appends a newline; drop it.
	if n := b.Len(); n > 0 && b.Bytes()[n-1] == '\n' {
		b.Truncate(n - 1)
	}
}

// prefixes maps the plain-text level markers Terraform recognises.
var prefixes = []struct{ prefix, level string }{
	{"[TRACE]", Trace},
	{"[DEBUG]", Debug},
	{"[INFO]", Info},
	{"[WARN]", Warn},
	{"[ERROR]", Error},
}

// Wrap turns one line of output (with or without its trailing newline) into
// a log line ending in a newline. A JSON object that Terraform can read as an
// hclog entry is returned unchanged; anything else becomes an entry at debug
// level, or at the level named by a leading [TRACE], [DEBUG], [INFO], [WARN]
// or [ERROR] marker (which is then dropped from the message). Lines starting
// with "panic: " or "fatal error: " are logged at error level.
func Wrap(line []byte, module string, t time.Time) []byte {
	line = bytes.TrimRight(line, "\r\n")
	if IsHCLogJSON(line) {
		out := make([]byte, 0, len(line)+1)
		out = append(out, line...)
		return append(out, '\n')
	}
	msg := string(line)
	level := Debug
	for _, p := range prefixes {
		if strings.HasPrefix(msg, p.prefix) {
			level = p.level
			msg = strings.TrimPrefix(msg[len(p.prefix):], " ")
			break
		}
	}
	if level == Debug && (strings.HasPrefix(msg, "panic: ") || strings.HasPrefix(msg, "fatal error: ")) {
		level = Error
	}
	return FormatLine(t, level, module, msg)
}

// IsHCLogJSON reports whether line is a JSON object that Terraform's plugin
// client accepts as a log entry: @message and @level, where present, must be
// strings (anything else would make it fail), and @timestamp must use
// TimeFormat.
func IsHCLogJSON(line []byte) bool {
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) < 2 || trimmed[0] != '{' || bytes.ContainsAny(trimmed, "\n") {
		return false
	}
	var obj map[string]any
	if err := json.Unmarshal(trimmed, &obj); err != nil {
		return false
	}
	for _, key := range []string{"@message", "@level", "@timestamp"} {
		v, present := obj[key]
		if !present {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return false
		}
		if key == "@timestamp" {
			if _, err := time.Parse(TimeFormat, s); err != nil {
				return false
			}
		}
	}
	return true
}

// Message returns a short human-readable form of a line of output: the
// @message of an hclog JSON line, or the line itself.
func Message(line []byte) string {
	line = bytes.TrimRight(line, "\r\n")
	if IsHCLogJSON(line) {
		var obj struct {
			Level   string `json:"@level"`
			Message string `json:"@message"`
		}
		if json.Unmarshal(line, &obj) == nil {
			if obj.Level != "" {
				return "[" + strings.ToUpper(obj.Level) + "] " + obj.Message
			}
			return obj.Message
		}
	}
	return string(line)
}
