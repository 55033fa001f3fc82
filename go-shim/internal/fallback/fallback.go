// Package fallback answers tfplugin6 calls when the Java backend cannot be
// used, so that Terraform shows the user why instead of a broken pipe.
//
// GetProviderSchema, the first call Terraform makes, gets a real response
// message carrying one error diagnostic; every other method gets a
// FailedPrecondition status with the same text.
package fallback

import (
	"context"
	"errors"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
)

// GetProviderSchemaMethod is the full gRPC name of the schema call.
const GetProviderSchemaMethod = "/tfplugin6.Provider/GetProviderSchema"

// Field numbers from tfplugin6.proto.
const (
	schemaResponseDiagnostics protowire.Number = 4 // GetProviderSchema.Response.diagnostics
	diagnosticSeverity        protowire.Number = 1
	diagnosticSummary         protowire.Number = 2
	diagnosticDetail          protowire.Number = 3
	severityError                              = 1 // Diagnostic.Severity.ERROR
)

// Error is a problem explained to the user: a one-line summary and a detail
// saying what was found and what to do.
type Error struct {
	Summary string
	Detail  string
}

// Error returns "summary: detail".
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Summary
	}
	return e.Summary + ": " + e.Detail
}

// AsError returns err as an *Error, wrapping foreign errors under a generic
// summary.
func AsError(err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	return &Error{
		Summary: "terraform-provider-rocketmq could not reach its Java backend",
		Detail:  err.Error(),
	}
}

// SchemaResponse encodes a GetProviderSchema.Response whose only field is
// one ERROR diagnostic with the given summary and detail.
func SchemaResponse(summary, detail string) []byte {
	var diag []byte
	diag = protowire.AppendTag(diag, diagnosticSeverity, protowire.VarintType)
	diag = protowire.AppendVarint(diag, severityError)
	diag = protowire.AppendTag(diag, diagnosticSummary, protowire.BytesType)
	diag = protowire.AppendString(diag, summary)
	if detail != "" {
		diag = protowire.AppendTag(diag, diagnosticDetail, protowire.BytesType)
		diag = protowire.AppendString(diag, detail)
	}
	var resp []byte
	resp = protowire.AppendTag(resp, schemaResponseDiagnostics, protowire.BytesType)
	resp = protowire.AppendBytes(resp, diag)
	return resp
}

// Respond answers the call on ss, which is for method, because of err. The
// server must use rawcodec.Codec. A cancelled or expired caller gets the
// matching status instead.
func Respond(ss grpc.ServerStream, method string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return status.FromContextError(err).Err()
	}
	fe := AsError(err)
	if method != GetProviderSchemaMethod {
		return status.Error(codes.FailedPrecondition, fe.Error())
	}
	// Consume the (unary) request before answering; its content is irrelevant.
	_ = ss.RecvMsg(&rawcodec.Frame{})
	if sendErr := ss.SendMsg(&rawcodec.Frame{Data: SchemaResponse(fe.Summary, fe.Detail)}); sendErr != nil {
		return sendErr
	}
	return nil
}
