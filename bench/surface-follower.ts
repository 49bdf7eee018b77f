// Follows one surface's state in the snapshots `otto-tray serve` pushes on /api/events, noting when each state was first received.
import { request } from "node:http";
import type { ServeProcess } from "../test-support/serve";

/** The surface's state in each snapshot `otto-tray serve` pushes, with the moment this bench received it. */
export class SurfaceFollower {
  state: string | undefined;
  /** When the surface was last seen turning to each state, and the detector's evaluation time of that snapshot. */
  readonly turned = new Map<string, { at: number; generatedAt: number }>();
  frames = 0;
  private readonly req;

  constructor(
    serve: ServeProcess,
    private readonly surface: string,
    private readonly log: (message: string) => void,
  ) {
    let buffer = "";
    this.req = request({ host: "127.0.0.1", port: serve.port, path: "/api/events", headers: { Host: `127.0.0.1:${serve.port}`, Authorization: `Bearer ${serve.token}` } }, (res) => {
      if (res.statusCode !== 200) {
        this.log(`the event stream answered ${res.statusCode}: nothing will be seen`);
        res.resume();
        return;
      }
      res.setEncoding("utf8").on("data", (chunk: string) => {
        const at = Date.now();
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          this.frame(buffer.slice(0, end), at);
          buffer = buffer.slice(end + 2);
        }
      });
    });
    this.req.on("error", (error) => this.log(`event stream: ${error.message}`));
    this.req.end();
  }

  close(): void {
    this.req.destroy();
  }

  private frame(text: string, at: number): void {
    const data = text.split("\n").find((line) => line.startsWith("data: "));
    if (!text.includes("event: snapshot") || data === undefined) return;
    this.frames++;
    const snapshot = JSON.parse(data.slice("data: ".length)) as { detector: { generatedAt: string; surfaces: { id: string; state: string }[] } };
    const state = snapshot.detector.surfaces.find((s) => s.id === this.surface)?.state;
    if (state !== undefined && state !== this.state) this.turned.set(state, { at, generatedAt: Date.parse(snapshot.detector.generatedAt) });
    this.state = state;
  }
}
