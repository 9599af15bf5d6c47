package dev.partita.vmms.service;

/** What a route answers: a JSON value, raw bytes of a content type, or the event stream. */
public sealed interface Reply {
    /** {@code body} as JSON with {@code status}. */
    record Json(int status, Object body) implements Reply {
    }

    /** {@code body} as it is. */
    record Bytes(int status, String contentType, byte[] body) implements Reply {
    }

    /** No body. */
    record Empty(int status) implements Reply {
    }

    /** The console log from byte {@code from} of the current file, followed while {@code running} holds. */
    record ConsoleStream(dev.partita.vmms.worker.VmFolder folder, long from, java.util.function.BooleanSupplier running)
            implements Reply {
    }

    /** Newline-delimited JSON events until the client goes away. */
    record EventStream() implements Reply {
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }
}
