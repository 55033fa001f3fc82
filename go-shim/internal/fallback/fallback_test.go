package fallback

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

type diagnostic struct {
	severity        uint64
	summary, detail string
	others          int
}

// decodeSchemaResponse reads a GetProviderSchema.Response and returns its
// diagnostics (field 4) and the numbers of any other fields present.
func decodeSchemaResponse(t *testing.T, b []byte) ([]diagnostic, []protowire.Number) {
	t.Helper()
	var diags []diagnostic
	var others []protowire.Number
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		if num != 4 {
			others = append(others, num)
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				t.Fatal(protowire.ParseError(n))
			}
			b = b[n:]
			continue
		}
		if typ != protowire.BytesType {
			t.Fatalf("diagnostics has wire type %v", typ)
		}
		msg, n := protowire.ConsumeBytes(b)
		if n < 0 {
			t.Fatal(protowire.ParseError(n))
		}
		b = b[n:]
		diags = append(diags, decodeDiagnostic(t, msg))
	}
	return diags, others
}

func decodeDiagnostic(t *testing.T, b []byte) diagnostic {
	t.Helper()
	var d diagnostic
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatal(protowire.ParseError(n))
		}
		b = b[n:]
		switch {
		case num == 1 && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				t.Fatal(protowire.ParseError(n))
			}
			d.severity, b = v, b[n:]
		case (num == 2 || num == 3) && typ == protowire.BytesType:
			v, n := protowire.ConsumeString(b)
			if n < 0 {
				t.Fatal(protowire.ParseError(n))
			}
			if num == 2 {
				d.summary = v
			} else {
				d.detail = v
			}
			b = b[n:]
		default:
			d.others++
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				t.Fatal(protowire.ParseError(n))
			}
			b = b[n:]
		}
	}
	return d
}

func TestSchemaResponseIsOneErrorDiagnostic(t *testing.T) {
	summary := "terraform-provider-rocketmq needs Java 17 or newer"
	detail := "JAVA_HOME is /opt/jdk11, and /opt/jdk11/bin/java is Java 11.0.2. Install a JDK 17+ and set JAVA_HOME to it, or put its bin directory on PATH."
	diags, others := decodeSchemaResponse(t, SchemaResponse(summary, detail))
	if len(others) != 0 {
		t.Fatalf("unexpected fields %v", others)
	}
	if len(diags) != 1 {
		t.Fatalf("got %d diagnostics", len(diags))
	}
	d := diags[0]
	if d.severity != 1 || d.summary != summary || d.detail != detail || d.others != 0 {
		t.Fatalf("got %+v", d)
	}
}

func TestSchemaResponseWithoutDetail(t *testing.T) {
	diags, _ := decodeSchemaResponse(t, SchemaResponse("s", ""))
	if len(diags) != 1 || diags[0].severity != 1 || diags[0].summary != "s" || diags[0].detail != "" {
		t.Fatalf("got %+v", diags)
	}
}

func TestAsError(t *testing.T) {
	own := &Error{Summary: "a", Detail: "b"}
	if got := AsError(own); got != own || got.Error() != "a: b" {
		t.Fatalf("got %v", got)
	}
	foreign := AsError(errors.New("boom"))
	if foreign.Detail != "boom" || foreign.Summary == "" {
		t.Fatalf("got %+v", foreign)
	}
	if (&Error{Summary: "only"}).Error() != "only" {
		t.Fatal("summary-only error text")
	}
}
