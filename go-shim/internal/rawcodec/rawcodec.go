// Package rawcodec is a gRPC codec that carries message bytes untouched.
//
// Values of type *Frame are sent and received as their raw bytes, so a proxy
// can forward messages it has no generated code for, byte for byte (and
// without the UTF-8 checks a proto string field would impose). Any other value
// is handed to the standard protobuf codec, so ordinary services registered on
// the same server or called on the same connection keep working.
package rawcodec

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
)

// Frame is one gRPC message in wire form.
type Frame struct {
	Data []byte
}

// Codec implements encoding.CodecV2. Its Name is "proto" so the content type
// on the wire stays the standard application/grpc+proto.
type Codec struct{}

var _ encoding.CodecV2 = Codec{}

func protoCodec() encoding.CodecV2 {
	return encoding.GetCodecV2(proto.Name)
}

// Marshal implements encoding.CodecV2.
func (Codec) Marshal(v any) (mem.BufferSlice, error) {
	if f, ok := v.(*Frame); ok {
		if f == nil {
			return mem.BufferSlice{mem.SliceBuffer(nil)}, nil
		}
		return mem.BufferSlice{mem.SliceBuffer(f.Data)}, nil
	}
	if c := protoCodec(); c != nil {
		return c.Marshal(v)
	}
	return nil, fmt.Errorf("rawcodec: cannot marshal %T", v)
}

// Unmarshal implements encoding.CodecV2. A Frame receives its own copy of the
// bytes, as gRPC reuses the buffers once Unmarshal returns.
func (Codec) Unmarshal(data mem.BufferSlice, v any) error {
	if f, ok := v.(*Frame); ok {
		if f == nil {
			return fmt.Errorf("rawcodec: nil *Frame")
		}
		f.Data = data.Materialize()
		return nil
	}
	if c := protoCodec(); c != nil {
		return c.Unmarshal(data, v)
	}
	return fmt.Errorf("rawcodec: cannot unmarshal into %T", v)
}

// Name implements encoding.CodecV2.
func (Codec) Name() string { return proto.Name }
