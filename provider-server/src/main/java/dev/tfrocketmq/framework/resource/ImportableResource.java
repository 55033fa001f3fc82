package dev.tfrocketmq.framework.resource;

/** A resource that can adopt an existing object by ID. The imported state is then passed through read. */
public interface ImportableResource extends Resource {
    /** Describe the ID format here; it is shown when an ID cannot be parsed. */
    String importIdFormat();

    void importState(Requests.Import request, StateResponse response);
}
