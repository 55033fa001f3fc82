// Command terraform-provider-peer is the benchmark's Go peer: a provider on
// terraform-plugin-framework with the quick start's shape (a name server, a
// broker referring to it, a topic referring to both) and no remote work, so
// that a plan measures what Terraform and a provider process cost, nothing
// else.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &peer{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/benchpeer/peer"})
	if err != nil {
		log.Fatal(err)
	}
}

type peer struct{}

func (p *peer) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "peer"
}

func (p *peer) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"name_servers": pschema.ListAttribute{ElementType: types.StringType, Optional: true},
	}}
}

func (p *peer) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (p *peer) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (p *peer) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &thing{name: "nameserver"} },
		func() resource.Resource { return &thing{name: "broker"} },
		func() resource.Resource { return &thing{name: "topic"} },
	}
}

// thing is one resource type: an input, a list of references, and a computed
// id and address derived from the input.
type thing struct{ name string }

type model struct {
	Name    types.String `tfsdk:"name"`
	Refs    types.List   `tfsdk:"refs"`
	ID      types.String `tfsdk:"id"`
	Address types.String `tfsdk:"address"`
}

func (t *thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + t.name
}

func (t *thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"name":    schema.StringAttribute{Required: true},
		"refs":    schema.ListAttribute{ElementType: types.StringType, Optional: true},
		"id":      schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"address": schema.StringAttribute{Computed: true, PlanModifiers: keep},
	}}
}

func (t *thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = types.StringValue(t.name + "-" + m.Name.ValueString())
	m.Address = types.StringValue("127.0.0.1:" + m.Name.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (t *thing) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (t *thing) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (t *thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
