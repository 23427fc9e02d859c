// The application core shared by the desktop app, the browser-mode server and the CLI: at most
// one open project, and an event sink that the transport layer broadcasts from.
import { RpcError } from '../../src-shared/rpc/errors';
import type { JobEvents } from './jobs/job-manager';
import { ProjectSession } from './project-session';

export type EventSink = (name: string, payload: unknown) => void;

export class WinnowCore {
  private session: ProjectSession | null = null;
  private sinks = new Set<EventSink>();
  private readonly jobEvents: JobEvents = {
    progress: (p) => this.emit('job.progress', p),
    finished: (f) => this.emit('job.finished', f),
  };

  onEvent(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit(name: string, payload: unknown): void {
    for (const s of this.sinks) s(name, payload);
  }

  get project(): ProjectSession {
    if (!this.session) throw new RpcError('no_project', 'no project is open: create or open a project first');
    return this.session;
  }

  get currentProject(): ProjectSession | null {
    return this.session;
  }

  async createProject(path: string): Promise<ProjectSession> {
    const next = ProjectSession.create(path, this.jobEvents, (n, p) => this.emit(n, p));
    await this.replace(next);
    return next;
  }

  async openProject(path: string): Promise<ProjectSession> {
    const next = ProjectSession.open(path, this.jobEvents, (n, p) => this.emit(n, p));
    await this.replace(next);
    return next;
  }

  async closeProject(): Promise<boolean> {
    if (!this.session) return false;
    await this.replace(null);
    return true;
  }

  private async replace(next: ProjectSession | null): Promise<void> {
    const prev = this.session;
    this.session = next;
    if (prev) await prev.close();
    this.emit('project.changed', { path: next?.catalog.path ?? null });
  }
}
