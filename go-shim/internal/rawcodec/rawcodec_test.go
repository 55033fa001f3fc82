package rawcodec

import (
	"bytes"
	"testing"

	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
)

func TestFrameRoundTrip(t *testing.T) {
	for _, data := range [][]byte{nil, {}, {0xff, 0x00, 0xc3, 0x28}, bytes.Repeat([]byte{7}, 1<<20)} {
		out, err := Codec{}.Marshal(&Frame{Data: data})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Materialize(), data) {
			t.Fatalf("marshal changed %d bytes", len(data))
		}
		var f Frame
		if err := (Codec{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, &f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.Data, data) {
			t.Fatal("unmarshal changed the bytes")
		}
	}
}

func TestUnmarshalCopies(t *testing.T) {
	buf := []byte("abc")
	var f Frame
	if err := (Codec{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(buf)}, &f); err != nil {
		t.Fatal(err)
	}
	buf[0] = 'x'
	if string(f.Data) != "abc" {
		t.Fatal("frame aliases gRPC's buffer")
	}
}

func TestProtoMessagesDelegate(t *testing.T) {
	in := &grpc_health_v1.HealthCheckResponse{Status: grpc_health_v1.HealthCheckResponse_SERVING}
	out, err := Codec{}.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := proto.Marshal(in)
	if !bytes.Equal(out.Materialize(), want) {
		t.Fatal("proto message not encoded as protobuf")
	}
	var back grpc_health_v1.HealthCheckResponse
	if err := (Codec{}).Unmarshal(out, &back); err != nil || back.Status != in.Status {
		t.Fatalf("got %v, %v", &back, err)
	}
	if _, err := (Codec{}).Marshal("not a message"); err == nil {
		t.Fatal("marshalled a string")
	}
	if (Codec{}).Name() != "proto" {
		t.Fatal("name")
	}
}
