package dev.tfrocketmq.framework.diag;

import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An ordered, thread-safe collection of diagnostics produced by one request. Duplicates are dropped. */
public final class Diagnostics {
    private final List<Diagnostic> items = Collections.synchronizedList(new ArrayList<>());

    public Diagnostics add(Diagnostic diagnostic) {
        synchronized (items) {
            if (!items.contains(diagnostic)) {
                items.add(diagnostic);
            }
        }
        return this;
    }

    public Diagnostics addAll(Diagnostics other) {
        other.all().forEach(this::add);
        return this;
    }

    public Diagnostics error(String summary, String detail) {
        return add(Diagnostic.error(summary, detail));
    }

    public Diagnostics attributeError(ValuePath path, String summary, String detail) {
        return add(Diagnostic.attributeError(path, summary, detail));
    }

    public Diagnostics warning(String summary, String detail) {
        return add(Diagnostic.warning(summary, detail));
    }

    public Diagnostics attributeWarning(ValuePath path, String summary, String detail) {
        return add(Diagnostic.attributeWarning(path, summary, detail));
    }

    public boolean hasErrors() {
        synchronized (items) {
            return items.stream().anyMatch(Diagnostic::isError);
        }
    }

    public List<Diagnostic> all() {
        synchronized (items) {
            return List.copyOf(items);
        }
    }

    @Override
    public String toString() {
        return all().toString();
    }
}
