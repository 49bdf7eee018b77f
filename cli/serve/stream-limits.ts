// The bounds of serve's connections: how many event streams, how many bytes one may hold, how many sockets in all.

/** Event streams open at once; one more is refused with 503 (a dashboard tab holds one). */
export const MAX_STREAMS = 64;

/** The largest snapshot frame pushed; a larger one is not sent (the page is told why instead). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The most one stream may hold in this process: what the socket has not taken yet (under its high-water mark, plus
 * the one frame written when it was under it) and the one latest frame kept while it drains.
 */
export const STREAM_QUEUE_CAP_BYTES = 2 * MAX_FRAME_BYTES + 64 * 1024;

/** Sockets open at once (streams, calls and idle keep-alive connections); more are closed at once by node. */
export const MAX_CONNECTIONS = 256;
