// Starts the pixel worker from its resource URL (cross-origin, so via a blob: URL of its text)
// and correlates requests with replies. Without a worker the wand and threshold tools report why
// they are unavailable.
import type { WorkerReply, WorkerRequest } from './workerProtocol';

type Ok = Extract<WorkerReply, { ok: true }>;
type Body<T> = T extends { id: number } ? Omit<T, 'id'> : never;

class NeedImage extends Error {}

export class PixelWorker {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void }>();

  /** `source` hands over the image when the first request starts the worker, and again when the worker asks for it: an ImageBitmap the worker takes by transfer. */
  constructor(private readonly url: string, private readonly source: () => Promise<{ bitmap: ImageBitmap; width: number; height: number }>) {}

  private start(): Promise<Worker> {
    this.starting ??= (async () => {
      if (!this.url) throw new Error('the page names no worker script (body data-worker)');
      const res = await fetch(this.url);
      if (!res.ok) throw new Error(`loading the pixel worker failed (${res.status})`);
      const blobUrl = URL.createObjectURL(new Blob([await res.text()], { type: 'text/javascript' }));
      const w = new Worker(blobUrl);
      w.onmessage = (ev: MessageEvent<WorkerReply>) => {
        const r = ev.data, p = this.waiting.get(r.id);
        if (!p) return;
        this.waiting.delete(r.id);
        if (r.ok) p.resolve(r); else p.reject(r.needImage ? new NeedImage(r.error) : new Error(r.error));
      };
      w.onerror = (ev) => {
        for (const p of this.waiting.values()) p.reject(new Error(`pixel worker failed: ${ev.message}`));
        this.waiting.clear();
      };
      await this.sendImage(w);
      this.worker = w;
      return w;
    })();
    return this.starting;
  }

  private async sendImage(w: Worker): Promise<void> {
    const img = await this.source();
    w.postMessage({ type: 'image', bitmap: img.bitmap, width: img.width, height: img.height } satisfies WorkerRequest, [img.bitmap]);
  }

  private post(w: Worker, req: Body<Exclude<WorkerRequest, { type: 'image' }>>): Promise<Ok> {
    const id = this.nextId++;
    return new Promise<Ok>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  async run(req: Body<Exclude<WorkerRequest, { type: 'image' }>>): Promise<Ok> {
    const w = await this.start();
    try {
      return await this.post(w, req);
    } catch (e) {
      // The worker closes the image once it has read what a tool needed; another tool may need it again.
      if (!(e instanceof NeedImage)) throw e;
      await this.sendImage(w);
      return this.post(w, req);
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
