import type { PipelineRecord, StreamPipeline, StreamPipelineConfig } from "@nqp/core";
import type { PipelineFactory } from "./pipeline-factory";

/** One sample for a stream's pipeline. */
export interface StepJob {
  streamId: number;
  ts: number;
  value: number;
}

export interface StepOutput {
  /** One per job, in job order. */
  records: PipelineRecord[];
  /** Snapshots (JSON text) of the streams asked for, taken after this step's samples. */
  snapshots: Map<number, string>;
}

export interface OpenStream {
  streamId: number;
  config: StreamPipelineConfig;
  /** JSON text of a snapshot to resume from, or null for a fresh pipeline. */
  snapshot: string | null;
}

/**
 * Where the streams' pipelines run: in the agent's thread (InlinePipelineHost) or on worker threads
 * (WorkerPipelineHost, ./worker-host.ts). Calls are handled in the order they are made; each stream's samples
 * therefore reach its pipeline in order.
 */
export interface PipelineHost {
  readonly description: string;
  open(streams: OpenStream[]): Promise<void>;
  /** Feeds samples and drops their records (rebuilding state on start). */
  replay(jobs: StepJob[]): Promise<void>;
  step(jobs: StepJob[], snapshotIds: number[]): Promise<StepOutput>;
  close(): Promise<void>;
}

export class InlinePipelineHost implements PipelineHost {
  readonly description = "inline";
  private readonly pipelines = new Map<number, StreamPipeline>();

  constructor(private readonly create: PipelineFactory) {}

  async open(streams: OpenStream[]): Promise<void> {
    for (const s of streams)
      this.pipelines.set(s.streamId, this.create(s.config, s.snapshot ? JSON.parse(s.snapshot) : undefined));
  }

  async replay(jobs: StepJob[]): Promise<void> {
    for (const j of jobs) this.pipeline(j.streamId).step(j.ts, j.value);
  }

  async step(jobs: StepJob[], snapshotIds: number[]): Promise<StepOutput> {
    const records = jobs.map((j) => this.pipeline(j.streamId).step(j.ts, j.value));
    const snapshots = new Map<number, string>();
    for (const id of snapshotIds) snapshots.set(id, JSON.stringify(this.pipeline(id).snapshot()));
    return { records, snapshots };
  }

  private pipeline(id: number): StreamPipeline {
    const p = this.pipelines.get(id);
    if (!p) throw new Error(`no pipeline for stream ${id}`);
    return p;
  }

  async close(): Promise<void> {
    this.pipelines.clear();
  }
}
